using TwinCluster.Cli;

return await TwinCli.RunAsync(args);
