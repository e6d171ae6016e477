namespace Failover.Aws;

/// <summary>
/// The IAM actions a client operation needs: <see cref="Action"/>, the action the operation itself is authorized by
/// (<c>service:Operation</c> as the Service Authorization Reference names it), and <see cref="AlsoRequires"/>, the
/// other actions IAM evaluates for the same call: the reference's dependent actions (DRS StartRecovery launches EC2
/// instances with the caller's permissions), tag-on-create, and KMS on resources this stack encrypts with its
/// customer managed key (the notification topic, the state machine).
/// </summary>
/// <remarks>
/// Every public operation of the clients carries one. The template tests walk the code from each handler to the
/// operations it can reach and require the function's role to grant exactly the union of these actions; the local
/// AWS enforces them (moto the <see cref="Action"/>, the gateway what moto cannot check).
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class IamActionAttribute(string action, params string[] alsoRequires) : Attribute
{
    /// <summary>The action the operation is authorized by, e.g. rds:PromoteReadReplica.</summary>
    public string Action { get; } = action;

    /// <summary>Further actions the same call needs.</summary>
    public IReadOnlyList<string> AlsoRequires { get; } = alsoRequires;

    /// <summary><see cref="Action"/> followed by <see cref="AlsoRequires"/>.</summary>
    public IEnumerable<string> All => [Action, .. AlsoRequires];
}

/// <summary>Action lists shared by several operations' <see cref="IamActionAttribute"/>s.</summary>
public static class IamActions
{
    /// <summary>Reading or writing data of the state machine, which is encrypted with the stack's key.</summary>
    public const string KmsDecrypt = "kms:Decrypt";

    /// <summary>Writing new encrypted data (an execution's input, a message to the encrypted topic).</summary>
    public const string KmsGenerateDataKey = "kms:GenerateDataKey";
}
