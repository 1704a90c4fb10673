"""Legal-person registration of grassroots unions: applications, review, register, signed certificates."""
