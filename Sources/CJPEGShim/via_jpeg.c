#include "via_jpeg.h"

#include <setjmp.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

// Error manager that records warnings and turns error_exit into a longjmp back into this file.
typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    via_jpeg_status failure;      // status to report when we jump back
    int warnings;
    int benign_warnings;
    int first_kind;
    char message[200];
    int has_message;
} via_error_mgr;

typedef struct {
    struct jpeg_progress_mgr base;
    j_decompress_ptr cinfo;
    int max_scans;
} via_progress_mgr;

static void via_copy_message(via_error_mgr *err, j_common_ptr cinfo) {
    char buffer[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, buffer);
    strncpy(err->message, buffer, sizeof err->message - 1);
    err->message[sizeof err->message - 1] = '\0';
    err->has_message = 1;
}

static void via_error_exit(j_common_ptr cinfo) {
    via_error_mgr *err = (via_error_mgr *)cinfo->err;
    if (!err->has_message || err->failure == VIA_JPEG_FAILED) {
        // the fatal error explains more than an earlier warning would
        via_copy_message(err, cinfo);
    }
    if (cinfo->err->msg_code == JERR_OUT_OF_MEMORY) err->failure = VIA_JPEG_NO_MEMORY;
    longjmp(err->jump, 1);
}

static int via_warning_kind(int code) {
    switch (code) {
    case JWRN_JPEG_EOF: return VIA_JPEG_WARN_EOF;
    case JWRN_HIT_MARKER: return VIA_JPEG_WARN_HIT_MARKER;
    case JWRN_JFIF_MAJOR:
    case JWRN_ADOBE_XFORM:
#ifdef JWRN_BOGUS_ICC
    case JWRN_BOGUS_ICC:
#endif
        return VIA_JPEG_WARN_BENIGN;
    default: return VIA_JPEG_WARN_CORRUPT;
    }
}

static void via_emit_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return; // trace messages
    via_error_mgr *err = (via_error_mgr *)cinfo->err;
    int kind = via_warning_kind(cinfo->err->msg_code);
    if (kind == VIA_JPEG_WARN_BENIGN) {
        err->benign_warnings++;
        return;
    }
    if (err->warnings == 0) {
        err->first_kind = kind;
        via_copy_message(err, cinfo);
    }
    err->warnings++;
}

static void via_output_message(j_common_ptr cinfo) { (void)cinfo; } // never print to stderr

// A memory source that hands libjpeg the data in small chunks. libjpeg-turbo's fast Huffman path, taken whenever
// plenty of data is buffered (always, with jpeg_mem_src), silently decodes an invalid Huffman code as zero; the
// careful path warns "bad Huffman code". Chunks smaller than its threshold (512 bytes per block of an MCU) keep
// every MCU on the careful path, so corruption is reported as djpeg reports it at its best.
typedef struct {
    struct jpeg_source_mgr base;
    const JOCTET *data;
    size_t length;
    size_t position;
    size_t chunk;
} via_chunked_source;

static const JOCTET via_fake_eoi[2] = { 0xFF, JPEG_EOI };

static void via_source_init(j_decompress_ptr cinfo) { (void)cinfo; }
static void via_source_term(j_decompress_ptr cinfo) { (void)cinfo; }

static boolean via_source_fill(j_decompress_ptr cinfo) {
    via_chunked_source *src = (via_chunked_source *)cinfo->src;
    if (src->position >= src->length) {
        WARNMS(cinfo, JWRN_JPEG_EOF);
        src->base.next_input_byte = via_fake_eoi;
        src->base.bytes_in_buffer = 2;
        return TRUE;
    }
    size_t n = src->length - src->position;
    if (n > src->chunk) n = src->chunk;
    src->base.next_input_byte = src->data + src->position;
    src->base.bytes_in_buffer = n;
    src->position += n;
    return TRUE;
}

static void via_source_skip(j_decompress_ptr cinfo, long count) {
    via_chunked_source *src = (via_chunked_source *)cinfo->src;
    if (count <= 0) return;
    while ((size_t)count > src->base.bytes_in_buffer) {
        count -= (long)src->base.bytes_in_buffer;
        (void)via_source_fill(cinfo);
        if (src->base.next_input_byte == via_fake_eoi) return;
    }
    src->base.next_input_byte += count;
    src->base.bytes_in_buffer -= (size_t)count;
}

static void via_chunked_src(j_decompress_ptr cinfo, via_chunked_source *src, const uint8_t *data, size_t length,
                            size_t chunk) {
    src->base.init_source = via_source_init;
    src->base.fill_input_buffer = via_source_fill;
    src->base.skip_input_data = via_source_skip;
    src->base.resync_to_restart = jpeg_resync_to_restart;
    src->base.term_source = via_source_term;
    src->base.bytes_in_buffer = 0;
    src->base.next_input_byte = NULL;
    src->data = data;
    src->length = length;
    src->position = 0;
    src->chunk = chunk;
    cinfo->src = &src->base;
}

static void via_progress(j_common_ptr common) {
    via_progress_mgr *progress = (via_progress_mgr *)common->progress;
    j_decompress_ptr cinfo = progress->cinfo;
    if (progress->max_scans > 0 && cinfo->input_scan_number > progress->max_scans) {
        via_error_mgr *err = (via_error_mgr *)common->err;
        err->failure = VIA_JPEG_TOO_MANY_SCANS;
        snprintf(err->message, sizeof err->message,
                 "progressive JPEG has more than %d scans", progress->max_scans);
        err->has_message = 1;
        longjmp(err->jump, 1);
    }
}

static void via_init_error(via_error_mgr *err) {
    memset(err, 0, sizeof *err);
    jpeg_std_error(&err->base);
    err->base.error_exit = via_error_exit;
    err->base.emit_message = via_emit_message;
    err->base.output_message = via_output_message;
    err->failure = VIA_JPEG_FAILED;
}

via_jpeg_status via_jpeg_decode(const uint8_t *data, size_t length,
                                const via_jpeg_decode_options *options,
                                via_jpeg_decode_result *result) {
    if (result == NULL) return VIA_JPEG_BAD_ARGUMENT;
    memset(result, 0, sizeof *result);
    if (data == NULL || options == NULL || length == 0 || length > (size_t)0x7fffffff) {
        snprintf(result->message, sizeof result->message, "no data to decode");
        return VIA_JPEG_BAD_ARGUMENT;
    }
    unsigned denom = options->scale_denom;
    if (denom != 1 && denom != 2 && denom != 4 && denom != 8) denom = 8;

    // Everything the longjmp path touches lives in volatile or heap storage.
    struct jpeg_decompress_struct cinfo;
    via_error_mgr err;
    via_progress_mgr progress;
    via_chunked_source source;
    uint8_t *volatile pixels = NULL;
    uint8_t *volatile scratch = NULL;
    volatile int created = 0;

    via_init_error(&err);
    cinfo.err = &err.base;
    if (setjmp(err.jump)) {
        via_jpeg_status status = err.failure;
        free(pixels);
        free(scratch);
        if (created) {
            result->width = cinfo.image_width;
            result->height = cinfo.image_height;
            result->components = cinfo.num_components;
            result->progressive = cinfo.progressive_mode ? 1 : 0;
            result->scans = cinfo.input_scan_number;
            jpeg_destroy_decompress(&cinfo);
        }
        result->warnings = err.warnings;
        result->benign_warnings = err.benign_warnings;
        result->first_warning_kind = err.first_kind;
        memcpy(result->message, err.message, sizeof result->message);
        return status;
    }
    jpeg_create_decompress(&cinfo);
    created = 1;
    if (options->max_memory > 0) cinfo.mem->max_memory_to_use = (long)options->max_memory;
    progress.base.progress_monitor = via_progress;
    progress.cinfo = &cinfo;
    progress.max_scans = options->max_scans;
    cinfo.progress = &progress.base;

    if (options->strict_huffman) {
        via_chunked_src(&cinfo, &source, data, length, 256);
    } else {
        jpeg_mem_src(&cinfo, (const unsigned char *)data, (unsigned long)length);
    }
    jpeg_read_header(&cinfo, TRUE);
    result->width = cinfo.image_width;
    result->height = cinfo.image_height;
    result->components = cinfo.num_components;
    result->progressive = cinfo.progressive_mode ? 1 : 0;
    if (options->max_pixels > 0 &&
        (uint64_t)cinfo.image_width * (uint64_t)cinfo.image_height > options->max_pixels) {
        err.failure = VIA_JPEG_TOO_LARGE;
        snprintf(err.message, sizeof err.message, "%ux%u exceeds the limit of %llu pixels",
                 cinfo.image_width, cinfo.image_height, (unsigned long long)options->max_pixels);
        err.has_message = 1;
        longjmp(err.jump, 1);
    }

    cinfo.scale_num = 1;
    cinfo.scale_denom = denom;
    cinfo.out_color_space = options->grayscale ? JCS_GRAYSCALE : JCS_RGB;
    cinfo.dct_method = JDCT_ISLOW;
    cinfo.do_fancy_upsampling = FALSE;
    cinfo.do_block_smoothing = FALSE;
    jpeg_start_decompress(&cinfo);

    size_t stride = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
    size_t total = stride * (size_t)cinfo.output_height;
    if (options->keep_pixels) {
        pixels = (uint8_t *)malloc(total > 0 ? total : 1);
        if (pixels == NULL) {
            err.failure = VIA_JPEG_NO_MEMORY;
            snprintf(err.message, sizeof err.message, "cannot allocate %zu bytes for the decoded image", total);
            err.has_message = 1;
            longjmp(err.jump, 1);
        }
    } else {
        scratch = (uint8_t *)malloc(stride > 0 ? stride : 1);
        if (scratch == NULL) {
            err.failure = VIA_JPEG_NO_MEMORY;
            snprintf(err.message, sizeof err.message, "cannot allocate a scanline");
            err.has_message = 1;
            longjmp(err.jump, 1);
        }
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = options->keep_pixels ? pixels + stride * cinfo.output_scanline : scratch;
        if (jpeg_read_scanlines(&cinfo, &row, 1) != 1) break; // cannot happen with a memory source
    }
    jpeg_finish_decompress(&cinfo);

    result->scans = cinfo.input_scan_number;
    result->out_width = cinfo.output_width;
    result->out_height = cinfo.output_height;
    result->out_components = cinfo.output_components;
    result->warnings = err.warnings;
    result->benign_warnings = err.benign_warnings;
    result->first_warning_kind = err.first_kind;
    memcpy(result->message, err.message, sizeof result->message);
    jpeg_destroy_decompress(&cinfo);
    free(scratch);
    if (options->keep_pixels) {
        result->pixels = pixels;
        result->pixels_length = total;
    }
    return VIA_JPEG_OK;
}

via_jpeg_status via_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int32_t components,
                                const via_jpeg_encode_options *options,
                                uint8_t **out, size_t *out_length,
                                char *message, size_t message_capacity) {
    if (out == NULL || out_length == NULL) return VIA_JPEG_BAD_ARGUMENT;
    *out = NULL;
    *out_length = 0;
    if (pixels == NULL || options == NULL || width == 0 || height == 0 || width > 65500 || height > 65500 ||
        (components != 1 && components != 3)) {
        if (message && message_capacity) snprintf(message, message_capacity, "invalid image to encode");
        return VIA_JPEG_BAD_ARGUMENT;
    }
    struct jpeg_compress_struct cinfo;
    via_error_mgr err;
    unsigned char *volatile buffer = NULL;
    volatile unsigned long size = 0;

    via_init_error(&err);
    cinfo.err = &err.base;
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(buffer);
        if (message && message_capacity) snprintf(message, message_capacity, "%s", err.message);
        return err.failure;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, (unsigned char **)&buffer, (unsigned long *)&size);
    cinfo.image_width = width;
    cinfo.image_height = height;
    cinfo.input_components = components;
    cinfo.in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    int quality = options->quality < 1 ? 1 : (options->quality > 100 ? 100 : options->quality);
    jpeg_set_quality(&cinfo, quality, TRUE);
    cinfo.write_JFIF_header = options->write_jfif ? TRUE : FALSE;
    cinfo.optimize_coding = options->optimize_coding ? TRUE : FALSE;
    cinfo.restart_interval = options->restart_interval;
    if (components == 3) {
        int h = options->chroma_subsampling ? 2 : 1;
        cinfo.comp_info[0].h_samp_factor = h;
        cinfo.comp_info[0].v_samp_factor = h;
        cinfo.comp_info[1].h_samp_factor = 1;
        cinfo.comp_info[1].v_samp_factor = 1;
        cinfo.comp_info[2].h_samp_factor = 1;
        cinfo.comp_info[2].v_samp_factor = 1;
    }
    if (options->progressive) jpeg_simple_progression(&cinfo);
    jpeg_start_compress(&cinfo, TRUE);
    size_t stride = (size_t)width * (size_t)components;
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + stride * cinfo.next_scanline);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *out = buffer;
    *out_length = size;
    return VIA_JPEG_OK;
}

void via_jpeg_free(void *pointer) { free(pointer); }
