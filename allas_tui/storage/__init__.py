"""Speaking to Allas: one interface (`StorageBackend`) over Swift and S3, the
error family, and finding the user's credentials. Never imports Textual."""
