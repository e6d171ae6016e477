using Failover.Core.Plans;
using Failover.Local.Iam;

namespace Failover.Local.Tests.Stack;

public sealed class TemplatePoliciesTests
{
    [Fact]
    public void ForLocal_WhenAPolicyIsSharedByTwoFunctionRoles_ShouldGrantItsStatementsToEach()
    {
        // Arrange
        var plan = PlanDocument.Parse(File.ReadAllText(LocalEnvironment.PlanPath));

        // Act
        var functions = TemplatePolicies.ForLocal(plan).Functions;

        // Assert: RecoveryJobsPolicy (AWS::IAM::Policy) is the only place the DRS recovery statements are written.
        foreach (var function in new[] { "StartRecoveryFunction", "CheckRecoveryFunction" })
        {
            var startRecovery = Assert.Single(functions[function], s => s.Sid == "StartRecovery");
            Assert.Equal(["drs:StartRecovery"], startRecovery.Actions);
            Assert.Equal([$"arn:aws:drs:{plan.RecoveryRegion}:{LocalAws.AccountId}:source-server/*"], startRecovery.Resources);
            Assert.Contains(functions[function], s => s.Sid == "PassRecoveryInstanceRoles");
        }
    }
}
