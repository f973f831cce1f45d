#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libpng reports fatal errors by calling an error function that must not return; the
 * classic API expects it to longjmp. Swift cannot call setjmp, so the decoder lives here
 * in C. Errors are copied into the caller's buffer and nothing is printed. */

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
    char message[256];
} factorize_png_reader;

static inline void factorize_png_error(png_structp png, png_const_charp text) {
    factorize_png_reader *reader = (factorize_png_reader *)png_get_error_ptr(png);
    snprintf(reader->message, sizeof(reader->message), "%s", text);
    png_longjmp(png, 1);
}

static inline void factorize_png_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static inline void factorize_png_read(png_structp png, png_bytep destination, size_t length) {
    factorize_png_reader *reader = (factorize_png_reader *)png_get_io_ptr(png);
    if (length > reader->size - reader->offset) {
        png_error(png, "unexpected end of PNG data (file is truncated)");
    }
    memcpy(destination, reader->data + reader->offset, length);
    reader->offset += length;
}

/* Decodes a PNG held in memory to interleaved 8-bit RGB rows. Palette and gray images are
 * expanded to RGB, alpha and transparency are dropped without compositing, 16-bit samples
 * keep their high byte, and no gamma correction is applied (as Pillow's convert("RGB")
 * does). On success returns 0 and stores a malloc'ed buffer of width * height * 3 bytes in
 * *pixels, which the caller frees. On failure returns 1 and copies libpng's message into
 * message (capacity bytes, NUL-terminated). */
static inline int factorize_png_decode_rgb(
    const unsigned char *data, size_t size,
    unsigned char **pixels, int *width, int *height,
    char *message, size_t capacity)
{
    factorize_png_reader reader = {data, size, 0, {0}};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader, factorize_png_error, factorize_png_warning);
    if (png == NULL) {
        snprintf(message, capacity, "cannot create libpng read structure");
        return 1;
    }
    png_infop info = png_create_info_struct(png);
    unsigned char *volatile buffer = NULL;
    png_bytep *volatile rows = NULL;
    if (info == NULL || setjmp(png_jmpbuf(png))) {
        snprintf(message, capacity, "%s", info == NULL ? "cannot create libpng info structure" : reader.message);
        png_destroy_read_struct(&png, info == NULL ? NULL : &info, NULL);
        free(rows);
        free(buffer);
        return 1;
    }

    png_set_read_fn(png, &reader, factorize_png_read);
    png_read_info(png, info);
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_strip_alpha(png);
    png_set_gray_to_rgb(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    png_uint_32 columns = png_get_image_width(png, info);
    png_uint_32 lines = png_get_image_height(png, info);
    size_t stride = png_get_rowbytes(png, info);
    if (stride != (size_t)columns * 3) {
        png_error(png, "unexpected row size after conversion to 8-bit RGB");
    }
    buffer = (unsigned char *)malloc(stride * lines);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * lines);
    if (buffer == NULL || rows == NULL) {
        png_error(png, "cannot allocate the decoded image");
    }
    for (png_uint_32 y = 0; y < lines; y++) {
        rows[y] = buffer + stride * y;
    }
    png_read_image(png, rows);
    png_read_end(png, NULL);

    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    *pixels = buffer;
    *width = (int)columns;
    *height = (int)lines;
    return 0;
}
