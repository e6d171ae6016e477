using Failover.Cli;

return await FailoverCommand.InvokeAsync(args);
