namespace Failover.Core.Triggers;

/// <summary>
/// CloudWatch does not yet confirm an SNS alarm notification (its alarm state read is older than the
/// notification). Transient: the exception makes the invocation fail so the platform delivers it again.
/// </summary>
public sealed class AlarmStateNotConfirmedException(string message) : Exception(message);
