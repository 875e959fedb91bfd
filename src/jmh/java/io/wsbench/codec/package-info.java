/**
 * Frame codec microbenchmarks of each library's encoder and decoder, masking and UTF-8 validation, with no sockets.
 */
package io.wsbench.codec;
