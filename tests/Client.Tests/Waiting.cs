namespace TwinCluster.Client.Tests;

internal static class Waiting
{
    /// <summary>Awaits <paramref name="task"/>, failing with <paramref name="what"/> and the state if it takes longer than the deadline.</summary>
    public static async Task Within(this Task task, TimeSpan deadline, Func<string> what)
    {
        try
        {
            await task.WaitAsync(deadline, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"not done within {deadline.TotalSeconds:0} s: {what()}");
        }
    }
}
