import Foundation
import Graph
import Testing
import Training

/// Returns the linear model y = x·Wᵀ + b as a Gemm whose x is a graph input.
private func linearModel(weights: [Float], bias: [Float], inputs: Int, outputs: Int) -> Model {
    let node = Node(name: "fc", opType: "Gemm", inputs: ["x", "w", "b"], outputs: ["y"], attributes: ["transB": .int(1)])
    let graph = Graph(
        name: "linear", nodes: [node],
        initializers: [
            "w": TensorData(floats: weights, shape: [outputs, inputs]),
            "b": TensorData(floats: bias, shape: [outputs]),
        ],
        inputs: [ValueInfo(name: "x", elementType: .float, shape: [.known(2), .known(inputs)])],
        outputs: [ValueInfo(name: "y", elementType: .float, shape: [.known(2), .known(outputs)])])
    return Model(graph: graph)
}

@Suite struct OptimizerTests {
    let x = LinearAlgebraTensor(shape: [2, 3], scalars: [1, 2, -1, 0.5, -1, 2])
    let weights: [Float] = [0.1, -0.2, 0.3, 0.05, 0.4, -0.1]
    let bias: [Float] = [0.2, -0.3]
    let outputGradient = LinearAlgebraTensor(shape: [2, 2], scalars: [1, -2, 0.5, 3])

    /// dW = dYᵀ·x and db = Σ rows of dY for the fixed x and dY.
    var closedFormGradients: (weights: [Float], bias: [Float]) {
        var dw = [Float](repeating: 0, count: 6)
        var db: [Float] = [0, 0]
        for row in 0..<2 {
            for o in 0..<2 {
                db[o] += outputGradient.scalars[row * 2 + o]
                for i in 0..<3 { dw[o * 3 + i] += outputGradient.scalars[row * 2 + o] * x.scalars[row * 3 + i] }
            }
        }
        return (dw, db)
    }

    func session() throws -> TrainingSession {
        let session = try TrainingSession(model: linearModel(weights: weights, bias: bias, inputs: 3, outputs: 2))
        _ = try session.forward(["x": x])
        session.backward(["y": outputGradient])
        return session
    }

    @Test func sgdStepMatchesClosedForm() throws {
        let session = try session()
        let optimizer = Optimizer(.sgd(momentum: 0.9, nesterov: false, weightDecay: 0.01))
        optimizer.step(session, learningRate: 0.1)

        let (dw, db) = closedFormGradients
        // First step: velocity = g + λ·w, so w′ = w − lr·(g + λ·w); 1-D biases get no decay.
        let expectedWeights = zip(weights, dw).map { w, g in w - 0.1 * (g + 0.01 * w) }
        let expectedBias = zip(bias, db).map { b, g in b - 0.1 * g }
        let updatedWeights = try #require(session.value("w")).scalars
        let updatedBias = try #require(session.value("b")).scalars
        for (actual, expected) in zip(updatedWeights, expectedWeights) { #expect(abs(actual - expected) < 1e-6) }
        for (actual, expected) in zip(updatedBias, expectedBias) { #expect(abs(actual - expected) < 1e-6) }
    }

    @Test func nesterovSecondStepUsesLookahead() throws {
        let session = try session()
        let optimizer = Optimizer(.sgd(momentum: 0.5, nesterov: true, weightDecay: 0))
        optimizer.step(session, learningRate: 0.1)
        optimizer.step(session, learningRate: 0.1)

        // The gradient is the same both steps (fixed dY), so v₁ = g, v₂ = 1.5·g and the
        // Nesterov updates are g + 0.5·v: 1.5·g then 1.75·g.
        let (_, db) = closedFormGradients
        let expected = zip(bias, db).map { b, g in b - 0.1 * 1.5 * g - 0.1 * 1.75 * g }
        for (actual, want) in zip(try #require(session.value("b")).scalars, expected) { #expect(abs(actual - want) < 1e-6) }
    }

    @Test func adamWFirstStepMovesByLearningRate() throws {
        let session = try session()
        let optimizer = Optimizer(.adamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1))
        optimizer.step(session, learningRate: 0.01)

        // After bias correction the first Adam step is lr·sign(g) (0 where g is 0, as for
        // W[0, 2] here); AdamW also shrinks w by lr·λ·w.
        let (dw, _) = closedFormGradients
        let expected = zip(weights, dw).map { w, g in w * (1 - 0.01 * 0.1) - 0.01 * Float(g.sign == .minus ? -1 : 1) * (g == 0 ? 0 : 1) }
        for (actual, want) in zip(try #require(session.value("w")).scalars, expected) { #expect(abs(actual - want) < 1e-5) }
    }

    @Test func frozenParametersStayFixed() throws {
        let session = try session()
        let optimizer = Optimizer(.sgd(momentum: 0, nesterov: false, weightDecay: 0), isFrozen: { $0 == "w" })
        optimizer.step(session, learningRate: 0.1)

        #expect(optimizer.trainableParameters(of: session) == ["b"])
        #expect(try #require(session.value("w")).scalars == weights)
        #expect(try #require(session.value("b")).scalars != bias)
    }
}

@Suite struct ScheduleTests {
    @Test func warmupRisesLinearly() {
        let schedule = LearningRateSchedule(baseRate: 0.1, shape: .constant, warmupSteps: 4)
        #expect(abs(schedule.rate(at: 0) - 0.025) < 1e-12)
        #expect(abs(schedule.rate(at: 3) - 0.1) < 1e-12)
        #expect(schedule.rate(at: 10) == 0.1)
    }

    @Test func cosineReachesMinimumAtEnd() {
        let schedule = LearningRateSchedule(baseRate: 0.1, shape: .cosine(totalSteps: 110, minimum: 0.001), warmupSteps: 10)
        #expect(abs(schedule.rate(at: 10) - 0.1) < 1e-12)
        #expect(abs(schedule.rate(at: 60) - 0.0505) < 1e-12)
        #expect(abs(schedule.rate(at: 110) - 0.001) < 1e-12)
    }

    @Test func stepDecayMultipliesPerInterval() {
        let schedule = LearningRateSchedule(baseRate: 0.1, shape: .step(interval: 5, factor: 0.1))
        #expect(abs(schedule.rate(at: 4) - 0.1) < 1e-12)
        #expect(abs(schedule.rate(at: 5) - 0.01) < 1e-12)
        #expect(abs(schedule.rate(at: 12) - 0.001) < 1e-12)
    }
}
