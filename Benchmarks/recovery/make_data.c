/*
 * Writes a TallyCore data directory with a snapshot and log segments in the
 * on-disk format version 1 (Sources/TallyCore/Persistence/FORMAT.md), so that
 * tallyd's recovery can be timed without sending millions of records first.
 *
 * usage: make_data DIR ACCOUNTS SNAPSHOT_RECORDS LOG_RECORDS EVENT_ID_BYTES
 * Accounts are named bench-0 ... bench-<ACCOUNTS-1>; records are spread over
 * them round-robin, 1,000 sessions per account, timestamps increasing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t crc_table[256];

static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t n) {
    crc = ~crc;
    while (n--) crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* A growable byte buffer. */
typedef struct { uint8_t *data; size_t size, capacity; } Buffer;

static void put(Buffer *b, const void *p, size_t n) {
    if (b->size + n > b->capacity) {
        b->capacity = (b->size + n) * 2;
        b->data = realloc(b->data, b->capacity);
        if (!b->data) { perror("realloc"); exit(1); }
    }
    memcpy(b->data + b->size, p, n);
    b->size += n;
}
static void put8(Buffer *b, uint8_t v) { put(b, &v, 1); }
static void put16(Buffer *b, uint16_t v) { put(b, &v, 2); }
static void put32(Buffer *b, uint32_t v) { put(b, &v, 4); }
static void put64(Buffer *b, uint64_t v) { put(b, &v, 8); }
static void putstr(Buffer *b, const char *s, size_t n) { put16(b, (uint16_t)n); put(b, s, n); }

static void write_file(const char *path, Buffer *b) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b->data, 1, b->size, f) != b->size || fclose(f) != 0) { perror(path); exit(1); }
}

static const int64_t base_ms = 1709251200000LL; /* 2024-03-01T00:00:00Z */
static int event_bytes;

/* Fields of the n-th record overall; record n belongs to account n % accounts. */
static void record_fields(uint64_t n, int64_t *ts, uint32_t *session, uint32_t *in, uint32_t *out, uint32_t *dec, char *event, size_t *event_len) {
    *ts = base_ms + (int64_t)(n / 4);
    *session = (uint32_t)((n * 2654435761u) % 1000);
    *in = (uint32_t)(n % 5000) + 1;
    *out = (uint32_t)(n % 700);
    *dec = (uint32_t)(n % 3 == 0);
    *event_len = 0;
    if (event_bytes > 0) {
        char text[64];
        int len = snprintf(text, sizeof text, "evt-%016llx-%016llx", (unsigned long long)n, (unsigned long long)(n * 11400714819323198485ull));
        if (len > event_bytes) len = event_bytes;
        memcpy(event, text, (size_t)len);
        *event_len = (size_t)len;
    }
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s DIR ACCOUNTS SNAPSHOT_RECORDS LOG_RECORDS EVENT_ID_BYTES\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    int accounts = atoi(argv[2]);
    uint64_t snapshot_records = strtoull(argv[3], NULL, 10);
    uint64_t log_records = strtoull(argv[4], NULL, 10);
    event_bytes = atoi(argv[5]);
    if (accounts < 1 || event_bytes < 0 || event_bytes > 40) { fprintf(stderr, "invalid arguments\n"); return 2; }
    crc_init();
    char path[4096], name[64], event[64];
    size_t event_len;
    int64_t ts; uint32_t session, in, out, dec;

    /* Snapshot at sequence S = 1000; the log continues with entries 1001, 1002, ... */
    const uint64_t snapshot_sequence = 1000;
    Buffer snap = {0};
    put(&snap, "TALLYSNP", 8);
    put32(&snap, 1);
    put64(&snap, snapshot_sequence);
    put32(&snap, (uint32_t)accounts);
    for (int a = 0; a < accounts; a++) {
        int name_len = snprintf(name, sizeof name, "bench-%d", a);
        putstr(&snap, name, (size_t)name_len);
        put64(&snap, snapshot_sequence);
        put32(&snap, 1000);
        for (int s = 0; s < 1000; s++) {
            int len = snprintf(name, sizeof name, "session-%04d", s);
            putstr(&snap, name, (size_t)len);
        }
        uint64_t count = snapshot_records / accounts + ((uint64_t)a < snapshot_records % accounts);
        put64(&snap, count);
        for (uint64_t i = 0; i < count; i++) {
            uint64_t n = i * accounts + a;
            record_fields(n, &ts, &session, &in, &out, &dec, event, &event_len);
            put64(&snap, (uint64_t)ts);
            put32(&snap, session);
            put32(&snap, in);
            put32(&snap, out);
            put32(&snap, dec);
            putstr(&snap, event, event_len);
        }
        put32(&snap, 0);
    }
    put32(&snap, crc_update(0, snap.data, snap.size));
    snprintf(path, sizeof path, "%s/snapshot-%020llu.snap", dir, (unsigned long long)snapshot_sequence);
    write_file(path, &snap);

    /* Log: one segment, entries of up to 500 records of one account each. */
    Buffer wal = {0}, payload = {0};
    uint64_t first = snapshot_sequence + 1, sequence = first;
    put(&wal, "TALLYWAL", 8);
    put32(&wal, 1);
    put64(&wal, first);
    put32(&wal, crc_update(0, wal.data, 20));
    uint64_t written = 0;
    while (written < log_records) {
        int a = (int)(sequence % (uint64_t)accounts);
        uint32_t count = log_records - written < 500 ? (uint32_t)(log_records - written) : 500;
        payload.size = 0;
        int name_len = snprintf(name, sizeof name, "bench-%d", a);
        putstr(&payload, name, (size_t)name_len);
        put32(&payload, count);
        for (uint32_t i = 0; i < count; i++) {
            uint64_t n = snapshot_records + written + i;
            record_fields(n, &ts, &session, &in, &out, &dec, event, &event_len);
            put64(&payload, (uint64_t)ts);
            put32(&payload, in);
            put32(&payload, out);
            put32(&payload, dec);
            int len = snprintf(name, sizeof name, "session-%04u", session);
            putstr(&payload, name, (size_t)len);
            putstr(&payload, event, event_len);
        }
        put32(&payload, 0);
        size_t checked = wal.size + 4;
        put32(&wal, (uint32_t)payload.size);
        put64(&wal, sequence);
        put8(&wal, 1);
        put(&wal, payload.data, payload.size);
        put32(&wal, crc_update(0, wal.data + checked, wal.size - checked));
        written += count;
        sequence++;
    }
    snprintf(path, sizeof path, "%s/wal-%020llu.log", dir, (unsigned long long)first);
    write_file(path, &wal);
    printf("snapshot records %llu, log records %llu in %llu entries, snapshot %zu bytes, log %zu bytes\n",
           (unsigned long long)snapshot_records, (unsigned long long)log_records, (unsigned long long)(sequence - first), snap.size, wal.size);
    return 0;
}
