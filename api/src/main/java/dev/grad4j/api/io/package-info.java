/**
 * Reading and writing tensors: NumPy {@code .npy}/{@code .npz} ({@link dev.grad4j.api.io.Npz}) and
 * safetensors ({@link dev.grad4j.api.io.SafeTensors}), every header checked before any data is read,
 * and {@link dev.grad4j.api.io.AtomicFile}, through which every file grad4j writes goes.
 */
package dev.grad4j.api.io;
