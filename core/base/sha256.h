/* sha256.h: SHA-256 (FIPS 180-4), for recording which plugin file a run
 * measured; written here so the runner needs no crypto library. */
#ifndef PX_SHA256_H
#define PX_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct px_sha256 {
	uint32_t h[8];
	uint64_t bytes;      /* message length so far */
	uint8_t block[64];
	size_t used;         /* bytes waiting in block */
};

void px__sha256_init(struct px_sha256 *s);
void px__sha256_update(struct px_sha256 *s, const void *data, size_t n);
/* Writes the digest as 64 lowercase hex digits and a NUL. */
void px__sha256_hex(struct px_sha256 *s, char hex[65]);

/* The digest of a whole file as hex, and its size in bytes (size may be
 * NULL). Returns 0 or
 * a negative errno value. */
int px__sha256_file(const char *path, char hex[65], uint64_t *size);

#endif
