import Foundation
import Graph
import Training

/// Builds one-node models whose every float input is an initializer, so the session treats
/// each as a parameter and reports its gradient, and compares those gradients with central
/// finite differences of the loss Σ yᵢ·rᵢ for fixed random weights r.
enum GradientCheck {
    /// Float initializer with normal entries from `seed`, optionally shifted away from zero.
    static func randomTensor(_ shape: [Int], seed: UInt64, offset: Float = 0) -> TensorData {
        var generator = SplitMix64(seed: seed)
        let values = (0..<shape.reduce(1, *)).map { _ in Float(generator.nextNormal()) + offset }
        return floatTensor(values, shape)
    }

    static func floatTensor(_ values: [Float], _ shape: [Int]) -> TensorData {
        TensorData(elementType: .float, shape: shape, bytes: values.withUnsafeBytes { Data($0) })
    }

    static func int64Tensor(_ values: [Int], _ shape: [Int]) -> TensorData {
        TensorData(elementType: .int64, shape: shape, bytes: values.map { Int64($0) }.withUnsafeBytes { Data($0) })
    }

    /// Returns a model of `nodes` with the given initializers and one output.
    static func model(nodes: [Node], initializers: [String: TensorData], output: String) -> Model {
        Model(graph: Graph(
            name: "check", nodes: nodes, initializers: initializers, inputs: [],
            outputs: [ValueInfo(name: output, elementType: .float, shape: nil)]))
    }

    /// Largest relative error ‖analytic − numeric‖ / max(‖numeric‖, 1e-3) over the parameters,
    /// by parameter name. Perturbs at most `probes` elements of each parameter.
    static func relativeErrors(
        _ model: Model, training: Bool = true, step: Float = 1e-2, probes: Int = 40
    ) throws -> [String: Double] {
        let session = try TrainingSession(model: model, seed: 7)
        session.isTraining = training
        let output = session.outputs[0]
        let reference = try session.forward([:])[output]!
        var generator = SplitMix64(seed: 99)
        let weights = (0..<reference.count).map { _ in Float(generator.nextNormal()) }
        session.backward([output: LinearAlgebraTensor(shape: reference.shape, scalars: weights)])
        let buffers = session.bufferNames.map { ($0, session.value($0)!) }

        func loss() throws -> Double {
            for (name, value) in buffers { session.setValue(name, value) }
            let y = try session.forward([:])[output]!
            return zip(y.scalars, weights).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }

        var errors: [String: Double] = [:]
        for name in session.parameterNames {
            let analytic = session.gradient(name)!
            var value = session.value(name)!
            let stride = max(value.count / probes, 1)
            var difference = 0.0
            var norm = 0.0
            for index in Swift.stride(from: 0, to: value.count, by: stride) {
                let original = value.scalars[index]
                value.scalars[index] = original + step
                session.setValue(name, value)
                let plus = try loss()
                value.scalars[index] = original - step
                session.setValue(name, value)
                let minus = try loss()
                value.scalars[index] = original
                session.setValue(name, value)
                let numeric = (plus - minus) / (2 * Double(step))
                difference += pow(Double(analytic.scalars[index]) - numeric, 2)
                norm += numeric * numeric
            }
            errors[name] = difference.squareRoot() / max(norm.squareRoot(), 1e-3)
        }
        return errors
    }
}
