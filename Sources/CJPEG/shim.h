#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>
#include <jerror.h>

/* libjpeg reports fatal errors through error_exit, which must not return to the library.
 * Swift cannot call setjmp, so the decoder that needs it lives here in C: error_exit
 * formats the message and longjmps back to factorize_jpeg_decode_rgb, which frees
 * everything and returns the message to the caller. Nothing is printed. */

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
    int truncated;
} factorize_jpeg_error_manager;

static inline void factorize_jpeg_error_exit(j_common_ptr cinfo) {
    factorize_jpeg_error_manager *manager = (factorize_jpeg_error_manager *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, manager->message);
    longjmp(manager->jump, 1);
}

/* Libraries never print: warnings are dropped, except that premature end of data is
 * recorded so the caller can reject a truncated file. */
static inline void factorize_jpeg_emit_message(j_common_ptr cinfo, int level) {
    factorize_jpeg_error_manager *manager = (factorize_jpeg_error_manager *)cinfo->err;
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        manager->truncated = 1;
    }
}

/* Decodes a JPEG held in memory to interleaved 8-bit RGB rows (gray images expanded).
 * On success returns 0 and stores a malloc'ed buffer of width * height * 3 bytes in
 * *pixels, which the caller frees. On failure returns 1 and copies libjpeg's message
 * into message (capacity bytes, NUL-terminated). */
static inline int factorize_jpeg_decode_rgb(
    const unsigned char *data, unsigned long size,
    unsigned char **pixels, int *width, int *height,
    char *message, size_t capacity)
{
    struct jpeg_decompress_struct cinfo;
    factorize_jpeg_error_manager manager;
    unsigned char *volatile buffer = NULL;

    memset(&cinfo, 0, sizeof(cinfo));
    cinfo.err = jpeg_std_error(&manager.base);
    manager.base.error_exit = factorize_jpeg_error_exit;
    manager.base.emit_message = factorize_jpeg_emit_message;
    manager.message[0] = '\0';
    manager.truncated = 0;

    if (setjmp(manager.jump)) {
        snprintf(message, capacity, "%s", manager.message);
        jpeg_destroy_decompress(&cinfo);
        free(buffer);
        return 1;
    }

    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, size);
    jpeg_read_header(&cinfo, TRUE);
    cinfo.out_color_space = JCS_RGB;
    jpeg_start_decompress(&cinfo);

    size_t stride = (size_t)cinfo.output_width * 3;
    buffer = (unsigned char *)malloc(stride * cinfo.output_height);
    if (buffer == NULL) {
        snprintf(message, capacity, "cannot allocate %zu bytes for %ux%u pixels",
                 stride * cinfo.output_height, cinfo.output_width, cinfo.output_height);
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = buffer + stride * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);

    if (manager.truncated) {
        snprintf(message, capacity, "premature end of JPEG data (file is truncated)");
        jpeg_destroy_decompress(&cinfo);
        free(buffer);
        return 1;
    }
    *pixels = buffer;
    *width = (int)cinfo.output_width;
    *height = (int)cinfo.output_height;
    jpeg_destroy_decompress(&cinfo);
    return 0;
}
