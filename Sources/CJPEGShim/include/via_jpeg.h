// A small C layer over libjpeg. libjpeg reports fatal errors by calling error_exit, which must not return;
// the only way to survive is setjmp/longjmp, which Swift cannot do. This shim owns the setjmp points and turns
// every libjpeg failure into a status code plus a message. No libjpeg type appears in this header.
#ifndef VIA_JPEG_H
#define VIA_JPEG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Outcome of a decode or encode call.
typedef enum {
    VIA_JPEG_OK = 0,
    VIA_JPEG_FAILED = 1,          ///< libjpeg gave up (message holds its text)
    VIA_JPEG_TOO_LARGE = 2,       ///< header dimensions exceed max_pixels; nothing was decoded
    VIA_JPEG_TOO_MANY_SCANS = 3,  ///< progressive file with more scans than max_scans (CPU exhaustion guard)
    VIA_JPEG_NO_MEMORY = 4,
    VIA_JPEG_BAD_ARGUMENT = 5
} via_jpeg_status;

/// How libjpeg's warnings (level -1 messages) are classified. libjpeg "succeeds" on damaged data by filling the
/// rest of the image with grey; an auditor must treat those warnings as failures.
typedef enum {
    VIA_JPEG_WARN_NONE = 0,
    VIA_JPEG_WARN_EOF = 1,        ///< "Premature end of JPEG file": data ran out
    VIA_JPEG_WARN_HIT_MARKER = 2, ///< "premature end of data segment": a marker came before the scan was complete
    VIA_JPEG_WARN_CORRUPT = 3,    ///< any other corrupt-data warning (bad Huffman code, extraneous bytes, ...)
    VIA_JPEG_WARN_BENIGN = 4      ///< warnings about headers that do not affect the pixels (unknown JFIF version)
} via_jpeg_warning_kind;

typedef struct {
    uint32_t scale_denom;     ///< 1, 2, 4 or 8 (DCT scaling)
    int32_t grayscale;        ///< 1: decode to one grey channel; 0: RGB
    int32_t keep_pixels;      ///< 1: return the decoded image; 0: decode and discard (integrity check only)
    uint64_t max_pixels;      ///< refuse headers whose width*height exceeds this (0: no limit)
    int32_t max_scans;        ///< refuse progressive files with more scans (0: no limit)
    uint64_t max_memory;      ///< cap on libjpeg's own allocations in bytes (0: libjpeg default)
    int32_t strict_huffman;   ///< 1: feed data in small chunks so every invalid Huffman code is reported
} via_jpeg_decode_options;

typedef struct {
    uint32_t width;           ///< image width from the frame header
    uint32_t height;
    int32_t components;       ///< components in the file (1 grey, 3 YCbCr, 4 CMYK/YCCK)
    int32_t progressive;
    int32_t scans;            ///< scans read (1 for baseline)
    uint32_t out_width;       ///< dimensions of the returned (scaled) image
    uint32_t out_height;
    int32_t out_components;
    uint8_t *pixels;          ///< malloc'd, rows packed (out_width*out_components bytes); free with via_jpeg_free
    size_t pixels_length;
    int32_t warnings;         ///< corrupt-data warnings (benign ones are not counted)
    int32_t benign_warnings;
    int32_t first_warning_kind; ///< a via_jpeg_warning_kind for the first non-benign warning
    char message[200];        ///< the first non-benign warning, or the fatal error
} via_jpeg_decode_result;

/// Decodes a whole JPEG held in memory. Always fills `result` (pixels is NULL unless status is OK and
/// keep_pixels was set). Never exits, never longjmps past the caller.
via_jpeg_status via_jpeg_decode(const uint8_t *data, size_t length,
                                const via_jpeg_decode_options *options,
                                via_jpeg_decode_result *result);

typedef struct {
    int32_t quality;          ///< 1...100
    int32_t progressive;
    int32_t write_jfif;       ///< 0: no APP0 JFIF marker (cameras usually write only APP1 Exif)
    int32_t chroma_subsampling; ///< 1: 4:2:0 (typical of cameras); 0: 4:4:4
    int32_t optimize_coding;
    uint32_t restart_interval; ///< in MCU rows' units of MCUs (0: none)
} via_jpeg_encode_options;

/// Compresses packed pixels (components 1 or 3) into a JPEG. On success `*out` is malloc'd; free with via_jpeg_free.
via_jpeg_status via_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int32_t components,
                                const via_jpeg_encode_options *options,
                                uint8_t **out, size_t *out_length,
                                char *message, size_t message_capacity);

void via_jpeg_free(void *pointer);

#ifdef __cplusplus
}
#endif
#endif
