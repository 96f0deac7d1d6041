"""The regency's working calendar: national holidays and cuti bersama per year, and working-time
arithmetic on it. Dispositions count their deadlines with it; attendance decides working days."""
