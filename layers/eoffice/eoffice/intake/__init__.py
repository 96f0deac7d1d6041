"""The intake of files that arrive in the intake bucket, for letters and outgoing drafts alike:
which object goes where (``dispatch``), the object named by an S3 event (``models``), and the
quarantine of a refused file (``refusals``)."""
