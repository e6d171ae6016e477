using Failover.Core.Triggers;

namespace Failover.Core.Tests.Triggers;

public sealed class TryParseAlarmTimeTests
{
    private static readonly DateTimeOffset Expected = new(2019, 10, 2, 17, 4, 40, 989, TimeSpan.Zero);

    [Theory]
    [InlineData("2019-10-02T17:04:40.989+0000")]
    [InlineData("2019-10-02T17:04:40.989Z")]
    [InlineData("2019-10-02T17:04:40.989+00:00")]
    [InlineData("2019-10-02T19:04:40.989+0200")]
    [InlineData("2019-10-02T12:04:40.989-0500")]
    [InlineData("2019-10-02T12:04:40.989-05:00")]
    [InlineData("2019-10-02T17:04:40.989")]
    public void TryParseAlarmTime_WhenTimestampHasAnyOffsetStyle_ShouldParseTheSameInstant(string text)
    {
        // Act
        var ok = TriggerService.TryParseAlarmTime(text, out var value);

        // Assert
        Assert.True(ok);
        Assert.Equal(Expected, value);
    }

    [Fact]
    public void TryParseAlarmTime_WhenOffsetIsNotZero_ShouldKeepTheOffset()
    {
        // Act
        TriggerService.TryParseAlarmTime("2019-10-02T19:04:40.989+0200", out var value);

        // Assert
        Assert.Equal(TimeSpan.FromHours(2), value.Offset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2019-13-02T17:04:40.989+0000")]
    [InlineData("2019-10-02T17:04:40.989+9999")]
    [InlineData("+0000")]
    [InlineData("1-0000")]
    public void TryParseAlarmTime_WhenTextIsNotATimestamp_ShouldReturnFalse(string? text)
    {
        // Act
        var ok = TriggerService.TryParseAlarmTime(text, out _);

        // Assert
        Assert.False(ok);
    }
}
