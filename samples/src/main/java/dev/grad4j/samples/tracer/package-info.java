/**
 * The Gradient Tracer behind the {@code tracer} sample: a tiny expression language and its parser
 * ({@link dev.grad4j.samples.tracer.Parser}, which never evaluates anything as code), the trace of an
 * expression through grad4j ({@link dev.grad4j.samples.tracer.Trace}: values, gradients in backward
 * order, each leaf's contributions, numerical gradients, the in-place trap), and a loopback web
 * server ({@link dev.grad4j.samples.tracer.TracerServer}) that serves one offline page and a JSON API.
 *
 * <p>It uses grad4j the way a user does (Variables, {@code Autograd.grad}, {@code Explain}); it adds
 * nothing to the library and nothing depends on it.
 */
package dev.grad4j.samples.tracer;
