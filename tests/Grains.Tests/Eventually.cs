namespace TwinCluster.Grains.Tests;

/// <summary>Polls a read until its result satisfies a condition, or fails with a description of the last result.</summary>
internal static class Eventually
{
    public static async Task<T> WaitFor<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan patience, Func<T, string> describe)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, describe(value));
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
