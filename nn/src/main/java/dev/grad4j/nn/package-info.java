/**
 * Neural-network building blocks on top of autograd: {@link dev.grad4j.nn.Layer} with named
 * parameters, {@link dev.grad4j.nn.Linear}, activations, {@link dev.grad4j.nn.Dropout},
 * {@link dev.grad4j.nn.LayerNorm}, {@link dev.grad4j.nn.Sequential}, initialisers and
 * {@link dev.grad4j.nn.Losses}, and save/load of parameters as NumPy {@code .npz} or safetensors files.
 *
 * <p>Everything here is written with {@code Variable} ops, so it runs on every backend; this
 * package never touches a backend's storage types.
 */
package dev.grad4j.nn;
