"""Embedded SFTP server for suppliers who push, and the channels reading and filling it."""
