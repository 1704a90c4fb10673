"""Console pages of positions, one module per topic, each with its own urlpatterns."""
