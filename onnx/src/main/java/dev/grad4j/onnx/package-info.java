/**
 * Optional ONNX export ({@link dev.grad4j.onnx.Onnx}): a model built from nn's standard layers becomes
 * an ONNX graph that ONNX Runtime and other tools run. This module owns the translation from layers
 * to ONNX operators and nothing else: it reads a model's layers and parameters, never changes them,
 * and nothing in grad4j's core depends on it (it brings the ONNX protobuf classes and protobuf-java).
 */
package dev.grad4j.onnx;
