using System.Globalization;
using System.Xml.Linq;
using Failover.Local.Models;

namespace Failover.Local;

/// <summary>
/// Route 53's answers about the health checks the day models (moto keeps no health model): GetHealthCheckStatus from the
/// model's status, GetHealthCheck with the InsufficientDataHealthStatus moto does not keep, and UpdateHealthCheck's flags
/// carried into the model. Shapes follow the Route 53 API reference (API_GetHealthCheckStatus.html,
/// API_HealthCheckObservation.html, API_UpdateHealthCheck.html).
/// </summary>
public static class Route53HealthAnswers
{
    private static readonly XNamespace Ns = "https://route53.amazonaws.com/doc/2013-04-01/";

    // Route 53's health checkers report from several regions; a CLOUDWATCH_METRIC check's observations all say the same.
    private static readonly string[] CheckerRegions = ["us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1"];

    /// <summary>The GetHealthCheckStatus reply: one observation per checker region, each Success or Failure.</summary>
    public static string Status(bool healthy, DateTimeOffset at)
    {
        var status = healthy ? "Success: the CloudWatch alarm's data stream is within its threshold" : "Failure: the CloudWatch alarm's data stream is beyond its threshold";
        var document = new XElement(Ns + "GetHealthCheckStatusResponse",
            new XElement(Ns + "HealthCheckObservations", CheckerRegions.Select((region, i) => new XElement(Ns + "HealthCheckObservation",
                new XElement(Ns + "Region", region),
                new XElement(Ns + "IPAddress", $"15.177.{i}.1"),
                new XElement(Ns + "StatusReport",
                    new XElement(Ns + "Status", status),
                    new XElement(Ns + "CheckedTime", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)))))));
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + document.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>A GetHealthCheck (or UpdateHealthCheck) reply with the model's InsufficientDataHealthStatus in its config.</summary>
    public static string WithInsufficientDataHealthStatus(string xml, MetricHealthCheckModel check)
    {
        var document = XDocument.Parse(xml);
        var config = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "HealthCheckConfig");
        if (config is null)
        {
            return xml;
        }

        config.Elements().Where(e => e.Name.LocalName == "InsufficientDataHealthStatus").Remove();
        config.Add(new XElement(config.Name.Namespace + "InsufficientDataHealthStatus", check.InsufficientDataHealthStatus));
        return document.Declaration + document.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>Carries an accepted UpdateHealthCheck's Inverted, Disabled and InsufficientDataHealthStatus into the model.</summary>
    public static void Apply(byte[] updateRequest, MetricHealthCheckModel check)
    {
        var document = XDocument.Parse(System.Text.Encoding.UTF8.GetString(updateRequest));
        string? Member(string name) => document.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
        lock (check)
        {
            if (Member("Inverted") is { } inverted)
            {
                check.Inverted = bool.Parse(inverted);
            }

            if (Member("Disabled") is { } disabled)
            {
                check.Disabled = bool.Parse(disabled);
            }

            if (Member("InsufficientDataHealthStatus") is { } status)
            {
                check.InsufficientDataHealthStatus = status;
            }
        }
    }
}
