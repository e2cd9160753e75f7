"""Production deployment files; the only Python here is what Rasa loads from deploy/endpoints.production.yml."""
