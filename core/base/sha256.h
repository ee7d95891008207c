/* sha256.h: SHA-256 (FIPS 180-4), to recognise an experiment file or the
 * parlab binary again when a run is resumed. */
#ifndef PX_SHA256_H
#define PX_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* The digest of the len bytes at data. */
void px__sha256(const void *data, size_t len, uint8_t out[32]);

/* The digest of a file's contents as 64 lowercase hex digits in hex;
 * 0, or a negative errno value when it cannot be read. */
int px__sha256_file(const char *path, char hex[65]);

#endif
