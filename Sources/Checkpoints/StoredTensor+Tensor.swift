import LinearAlgebra

// Kept apart from the readers so that the fuzz build compiles them without LinearAlgebra
// and its BLAS module.
extension StoredTensor {
    /// The values as a Float32 tensor of `shape`.
    public var tensor: Tensor<Float> { Tensor(shape: shape, scalars: values) }
}
