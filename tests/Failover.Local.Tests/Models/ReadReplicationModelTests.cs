using System.Xml.Linq;
using Failover.Local.Models;

namespace Failover.Local.Tests.Models;

/// <summary>
/// <see cref="ReadReplicationModel"/> against the RDS API reference (API_DBInstanceStatusInfo.html: StatusType "read
/// replication", Status replicating … error, stopped, terminated, Normal, Message) and the RDS User Guide, "Monitoring read
/// replication" (USER_ReadRepl.Monitoring.html).
/// </summary>
public sealed class ReadReplicationModelTests
{
    private const string Ns = "http://rds.amazonaws.com/doc/2014-10-31/";

    // moto's DescribeDBInstances answer for a replica and its source: no StatusInfos.
    private const string Reply = $"""
        <DescribeDBInstancesResponse xmlns="{Ns}"><DescribeDBInstancesResult><DBInstances>
        <DBInstance><DBInstanceIdentifier>orders-replica</DBInstanceIdentifier><DBInstanceStatus>available</DBInstanceStatus><ReadReplicaSourceDBInstanceIdentifier>arn:aws:rds:us-east-2:123456789012:db:orders-primary</ReadReplicaSourceDBInstanceIdentifier></DBInstance>
        <DBInstance><DBInstanceIdentifier>standalone</DBInstanceIdentifier><DBInstanceStatus>available</DBInstanceStatus></DBInstance>
        </DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>
        """;

    [Fact]
    public void Rewrite_WhenNothingWasSet_ShouldReportEachReplicaReplicatingAndLeaveOtherInstancesAlone()
    {
        // Arrange
        var model = new ReadReplicationModel();

        // Act
        var xml = XDocument.Parse(model.Rewrite("us-west-2", Reply));

        // Assert
        var infos = xml.Descendants(XName.Get("DBInstanceStatusInfo", Ns)).ToList();
        var info = Assert.Single(infos);
        Assert.Equal(("read replication", "true", "replicating"), (Value(info, "StatusType"), Value(info, "Normal"), Value(info, "Status")));
        Assert.Equal("orders-replica", Value(info.Parent!.Parent!, "DBInstanceIdentifier"));
    }

    [Fact]
    public void Rewrite_WhenReplicationBrokeInThatRegion_ShouldReportTheErrorWithItsMessageThere()
    {
        // Arrange
        var model = new ReadReplicationModel();
        model.Set("us-west-2", "orders-replica", "error", "Error 1236 reading binary log");

        // Act
        var broken = Assert.Single(XDocument.Parse(model.Rewrite("us-west-2", Reply)).Descendants(XName.Get("DBInstanceStatusInfo", Ns)));
        var elsewhere = Assert.Single(XDocument.Parse(model.Rewrite("eu-west-1", Reply)).Descendants(XName.Get("DBInstanceStatusInfo", Ns)));

        // Assert
        Assert.Equal(("false", "error", "Error 1236 reading binary log"), (Value(broken, "Normal"), Value(broken, "Status"), Value(broken, "Message")));
        Assert.Equal("replicating", Value(elsewhere, "Status"));
    }

    private static string? Value(XElement parent, string name) => parent.Element(XName.Get(name, Ns))?.Value;
}
