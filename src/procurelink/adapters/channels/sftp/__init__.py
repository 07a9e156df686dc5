"""SFTP client channel: poll a supplier's SFTP server and put files there."""
