/// Version of the Factorize tool, recorded in written models and results.
public let factorizeVersion = "0.1.0"
