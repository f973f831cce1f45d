import Foundation
import Graph
import Testing
import Training

/// Lets a `@Sendable` teacher closure call a trained session; the test runs it on one thread.
private final class TeacherBox: @unchecked Sendable {
    let trainer: Trainer
    init(_ trainer: Trainer) { self.trainer = trainer }

    func logits(_ input: LinearAlgebraTensor) throws -> LinearAlgebraTensor {
        trainer.session.isTraining = false
        defer { trainer.session.isTraining = true }
        let session = trainer.session
        return try session.forward([session.inputs[0]: input])[session.outputs[0]]!
    }
}

@Suite(.enabled(if: FashionMNISTFixture.isAvailable, "Fashion-MNIST IDX files not found; install dataset-fashion-mnist or set FACTORIZE_FASHION_MNIST"))
struct DistillationTests {
    @Test func studentLearnsFromTeacherLogitsAlone() throws {
        let directory = try #require(FashionMNISTFixture.directory)
        let training = try ImageDataset.fashionMNIST(directory: directory, split: .train).subset(0..<2000)
        let heldOut = try ImageDataset.fashionMNIST(directory: directory, split: .test).subset(0..<500)
        let labelConfiguration = TrainingConfiguration(
            epochs: 1, batchSize: 32, optimizer: .sgd(momentum: 0.9, nesterov: false, weightDecay: 0),
            learningRate: 0.05, schedule: .constant, augmentation: .none, seed: 3)
        let teacher = try Trainer(model: FashionMNISTFixture.smallCNN(seed: 1), configuration: labelConfiguration)
        try teacher.fit(training: training, validation: nil)
        let teacherAccuracy = try teacher.evaluate(heldOut)

        // alpha = 1: the labels carry no weight, so everything the student learns comes from the teacher.
        let box = TeacherBox(teacher)
        var studentConfiguration = labelConfiguration
        studentConfiguration.distillation = .init(temperature: 4, alpha: 1) { try box.logits($0) }
        let student = try Trainer(model: FashionMNISTFixture.smallCNN(seed: 9), configuration: studentConfiguration)
        try student.fit(training: training, validation: nil)
        let studentAccuracy = try student.evaluate(heldOut)

        #expect(teacherAccuracy > 0.5, "teacher accuracy \(teacherAccuracy)")
        #expect(studentAccuracy > 0.5, "student accuracy \(studentAccuracy); chance is 0.1")
    }
}
