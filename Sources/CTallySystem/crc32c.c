#include "CTallySystem.h"

#include <pthread.h>

// CRC32C, polynomial 0x1EDC6F41 (reflected 0x82F63B78), as used by iSCSI
// (RFC 3720) and ext4. The software path is slicing-by-8 over tables built
// once; the hardware path uses the SSE4.2 crc32 instruction.

static uint32_t crc_tables[8][256];
static pthread_once_t crc_tables_once = PTHREAD_ONCE_INIT;
static int crc_use_hardware = 0;

static void crc_build_tables(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t crc = n;
        for (int k = 0; k < 8; k++) {
            crc = (crc & 1) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        crc_tables[0][n] = crc;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t crc = crc_tables[0][n];
        for (int k = 1; k < 8; k++) {
            crc = crc_tables[0][crc & 0xff] ^ (crc >> 8);
            crc_tables[k][n] = crc;
        }
    }
#if defined(__x86_64__)
    __builtin_cpu_init();
    crc_use_hardware = __builtin_cpu_supports("sse4.2");
#endif
}

static uint32_t crc_software(uint32_t crc, const unsigned char *p, size_t length) {
    while (length >= 8) {
        uint32_t low = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        low ^= crc;
        crc = crc_tables[7][low & 0xff] ^ crc_tables[6][(low >> 8) & 0xff] ^
              crc_tables[5][(low >> 16) & 0xff] ^ crc_tables[4][low >> 24] ^
              crc_tables[3][p[4]] ^ crc_tables[2][p[5]] ^ crc_tables[1][p[6]] ^ crc_tables[0][p[7]];
        p += 8;
        length -= 8;
    }
    while (length--) {
        crc = crc_tables[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    }
    return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t crc_hardware(uint32_t crc, const unsigned char *p, size_t length) {
    uint64_t crc64 = crc;
    while (length >= 8) {
        uint64_t word;
        __builtin_memcpy(&word, p, 8);
        crc64 = __builtin_ia32_crc32di(crc64, word);
        p += 8;
        length -= 8;
    }
    uint32_t crc32 = (uint32_t)crc64;
    while (length--) {
        crc32 = __builtin_ia32_crc32qi(crc32, *p++);
    }
    return crc32;
}
#endif

uint32_t tally_crc32c(uint32_t crc, const void *data, size_t length) {
    pthread_once(&crc_tables_once, crc_build_tables);
    crc = ~crc;
#if defined(__x86_64__)
    if (crc_use_hardware) {
        return ~crc_hardware(crc, (const unsigned char *)data, length);
    }
#endif
    return ~crc_software(crc, (const unsigned char *)data, length);
}
