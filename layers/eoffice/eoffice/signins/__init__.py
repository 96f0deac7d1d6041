"""Sign-ins: each employee's Cognito user, created, disabled and enabled through a queue."""
