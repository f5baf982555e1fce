this is { not terraform
