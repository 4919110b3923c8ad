"""What a browser or probe meets outside the module APIs: root, meta endpoints, docs, terminal."""
