"""Where a signer's private key lives: AWS KMS, a PKCS#12 in Secrets Manager, or BSrE."""
