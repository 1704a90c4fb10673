"""Activities and courses, sign-up under rush, waiting lists, attendance."""
