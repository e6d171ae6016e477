using Failover.Cli;

return await FailoverCommand.Build().Parse(args).InvokeAsync();
