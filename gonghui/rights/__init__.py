"""Rights protection: workers' claims, cases with stage deadlines, mediation, legal check-ups, collective agreements."""
