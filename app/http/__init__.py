"""HTTP plumbing shared by every module: JSON responses, the error contract, CORS, input loading."""
