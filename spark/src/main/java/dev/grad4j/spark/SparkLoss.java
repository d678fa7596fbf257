package dev.grad4j.spark;

import dev.grad4j.autograd.Variable;

import java.io.Serializable;
import java.util.function.BiFunction;

/**
 * A loss the executors can run: the mean over a batch of {@code loss(output, labels)}, serializable
 * (a method reference such as {@code Losses::crossEntropy} is, when its target type is this one).
 */
@FunctionalInterface
public interface SparkLoss extends BiFunction<Variable, Variable, Variable>, Serializable {
}
