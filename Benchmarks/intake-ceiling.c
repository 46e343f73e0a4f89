// The least an intake server must do per photo, as a yardstick for `via serve` (Benchmarks/intake-ceiling.sh):
// receive the photo over loopback TCP, optionally write it to a new file (optionally fsync'd), and decode it exactly
// as the decode loop does (libjpeg, 1/8 scale, greyscale). No HTTP, no multipart, no SHA-256, no EXIF, no database,
// no rules, and a load client in C: whatever this reaches, a real server on the same machine stays below it.
//
//   intake-ceiling decode DIR THREADS SECONDS        decode loop over DIR's *.jpg held in memory → photos/s
//   intake-ceiling serve [STOREDIR [fsync]]          serve on 127.0.0.1, an ephemeral port printed on stdout
//   intake-ceiling load PORT DIR CONNECTIONS SECONDS closed-loop load: each connection sends one photo
//                                                    (4-byte length + bytes) and waits for the 1-byte reply
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <jpeglib.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct failure { struct jpeg_error_mgr base; jmp_buf jump; };
static void fail(j_common_ptr info) { longjmp(((struct failure *)info->err)->jump, 1); }

/// Decodes as the decode loop does; 0 when libjpeg gave up on the data.
static int decode(const uint8_t *data, size_t length) {
    struct jpeg_decompress_struct info;
    struct failure error;
    uint8_t *volatile row = NULL;
    info.err = jpeg_std_error(&error.base);
    error.base.error_exit = fail;
    if (setjmp(error.jump)) {
        free(row);
        jpeg_destroy_decompress(&info);
        return 0;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)length);
    jpeg_read_header(&info, TRUE);
    info.scale_num = 1;
    info.scale_denom = 8;
    info.out_color_space = JCS_GRAYSCALE;
    info.dct_method = JDCT_ISLOW;
    info.do_fancy_upsampling = FALSE;
    info.do_block_smoothing = FALSE;
    jpeg_start_decompress(&info);
    row = malloc((size_t)info.output_width * (size_t)info.output_components + 1);
    if (row == NULL) longjmp(error.jump, 1);
    while (info.output_scanline < info.output_height) {
        JSAMPROW line = row;
        jpeg_read_scanlines(&info, &line, 1);
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    free(row);
    return 1;
}

enum { MAX_PHOTOS = 4096, MAX_PHOTO = 64 << 20 };
static uint8_t *photos[MAX_PHOTOS];
static uint32_t sizes[MAX_PHOTOS];
static int count;

static int load_photos(const char *folder) {
    DIR *dir = opendir(folder);
    if (dir == NULL) { perror(folder); return 0; }
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL && count < MAX_PHOTOS) {
        size_t length = strlen(entry->d_name);
        if (length < 4 || strcmp(entry->d_name + length - 4, ".jpg") != 0) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", folder, entry->d_name);
        int fd = open(path, O_RDONLY);
        struct stat status;
        if (fd < 0 || fstat(fd, &status) != 0 || status.st_size <= 0 || status.st_size > MAX_PHOTO) {
            if (fd >= 0) close(fd);
            continue;
        }
        uint8_t *bytes = malloc((size_t)status.st_size);
        if (bytes == NULL || read(fd, bytes, (size_t)status.st_size) != status.st_size) {
            free(bytes);
            close(fd);
            continue;
        }
        close(fd);
        photos[count] = bytes;
        sizes[count++] = (uint32_t)status.st_size;
    }
    closedir(dir);
    if (count == 0) fprintf(stderr, "no .jpg files in %s\n", folder);
    return count;
}

static int read_all(int fd, void *buffer, size_t length) {
    for (size_t done = 0; done < length;) {
        ssize_t got = read(fd, (char *)buffer + done, length - done);
        if (got <= 0) return -1;
        done += (size_t)got;
    }
    return 0;
}

static int write_all(int fd, const void *buffer, size_t length) {
    for (size_t done = 0; done < length;) {
        ssize_t put = write(fd, (const char *)buffer + done, length - done);
        if (put <= 0) return -1;
        done += (size_t)put;
    }
    return 0;
}

// MARK: serve

static const char *store;
static int sync_files;
static atomic_long stored;

static void *connection(void *argument) {
    int fd = (int)(intptr_t)argument;
    uint8_t *buffer = malloc(MAX_PHOTO);
    uint32_t length;
    while (buffer != NULL && read_all(fd, &length, 4) == 0 && length > 0 && length <= MAX_PHOTO &&
           read_all(fd, buffer, length) == 0) {
        if (store != NULL) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%ld.jpg", store, atomic_fetch_add(&stored, 1));
            int file = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
            if (file < 0 || write_all(file, buffer, length) != 0 || (sync_files && fsync(file) != 0)) {
                perror(path);
                exit(1);
            }
            close(file);
        }
        char verdict = (char)decode(buffer, length);
        if (write_all(fd, &verdict, 1) != 0) break;
    }
    free(buffer);
    close(fd);
    return NULL;
}

static int serve(void) {
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = 0 };
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 512) != 0 ||
        getsockname(listener, (struct sockaddr *)&address, &size) != 0) {
        perror("listen");
        return 1;
    }
    printf("%d\n", ntohs(address.sin_port));
    fflush(stdout);
    for (;;) {
        int client = accept(listener, NULL, NULL);
        if (client < 0) continue;
        pthread_t thread;
        if (pthread_create(&thread, NULL, connection, (void *)(intptr_t)client) != 0) { close(client); continue; }
        pthread_detach(thread);
    }
}

// MARK: load and decode loop

static int port;
static atomic_int stopping;
static atomic_long finished, failed;
static atomic_uint next_photo;

static void *station(void *argument) {
    (void)argument;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        perror("connect");
        exit(1);
    }
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    while (!atomic_load(&stopping)) {
        unsigned k = atomic_fetch_add(&next_photo, 1) % (unsigned)count;
        char verdict;
        if (write_all(fd, &sizes[k], 4) != 0 || write_all(fd, photos[k], sizes[k]) != 0 || read_all(fd, &verdict, 1) != 0) {
            fprintf(stderr, "connection lost\n");
            exit(1);
        }
        atomic_fetch_add(verdict ? &finished : &failed, 1);
    }
    close(fd);
    return NULL;
}

static double until;
static void *decoder(void *argument) {
    (void)argument;
    while (now() < until) {
        unsigned k = atomic_fetch_add(&next_photo, 1) % (unsigned)count;
        atomic_fetch_add(decode(photos[k], sizes[k]) ? &finished : &failed, 1);
    }
    return NULL;
}

/// Starts `n` threads running `body`; their ids in `threads` (n of them). 0 when one could not be started.
static int start_threads(pthread_t *threads, int n, void *(*body)(void *)) {
    for (int i = 0; i < n; i++) {
        if (pthread_create(&threads[i], NULL, body, NULL) != 0) {
            perror("pthread_create");
            return 0;
        }
    }
    return 1;
}

/// A rate only when every photo decoded: a failing decode is quicker than a real one.
static int report(double rate) {
    long bad = atomic_load(&failed);
    if (bad > 0) {
        fprintf(stderr, "%ld photos did not decode\n", bad);
        return 1;
    }
    printf("%.1f\n", rate);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && argc <= 4 && strcmp(argv[1], "serve") == 0) {
        if (argc >= 3) store = argv[2];
        sync_files = argc == 4 && strcmp(argv[3], "fsync") == 0;
        return serve();
    }
    if (argc == 6 && strcmp(argv[1], "load") == 0) {
        port = atoi(argv[2]);
        int connections = atoi(argv[4]);
        double seconds = atof(argv[5]);
        pthread_t *threads = connections > 0 ? calloc((size_t)connections, sizeof *threads) : NULL;
        if (!load_photos(argv[3]) || threads == NULL || seconds <= 0 || !start_threads(threads, connections, station)) return 1;
        sleep(2); // every connection busy before the clock starts
        long first = atomic_load(&finished);
        double start = now();
        usleep((useconds_t)(seconds * 1e6));
        long last = atomic_load(&finished);
        return report((double)(last - first) / (now() - start)); // exit ends the connections: the server sees EOF
    }
    if (argc == 5 && strcmp(argv[1], "decode") == 0) {
        int threads = atoi(argv[3]);
        if (!load_photos(argv[2]) || threads <= 0) return 1;
        double start = now();
        until = start + atof(argv[4]);
        pthread_t *all = calloc((size_t)threads, sizeof *all);
        if (all == NULL || !start_threads(all, threads, decoder)) return 1;
        for (int i = 0; i < threads; i++) pthread_join(all[i], NULL);
        return report((double)atomic_load(&finished) / (now() - start));
    }
    fprintf(stderr, "usage: intake-ceiling decode DIR THREADS SECONDS | serve [STOREDIR [fsync]] | "
                    "load PORT DIR CONNECTIONS SECONDS\n");
    return 64;
}
