"""The organisation: units in a hierarchy, positions, employees, offices and acting assignments."""
