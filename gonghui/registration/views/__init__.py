"""Console pages (applications, register, certificates) and the public verification pages."""
