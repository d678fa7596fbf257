/** Reading and writing tensors: NumPy {@code .npy}/{@code .npz}, atomically. */
package dev.grad4j.api.io;
