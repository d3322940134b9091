namespace TwinCluster.Dashboard.Tests.EndToEnd;

/// <summary>A look at the fleet page for whoever debugs the dashboard: prints what the browser saw (explicit).</summary>
[Collection(DemoCollection.Name)]
public sealed class ProbeTests(DemoSilo silo)
{
    [Fact(Explicit = true)]
    public async Task Print_the_fleet_page()
    {
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(silo.SignInLink);
        await page.WaitForTimeoutAsync(20_000);
        Console.WriteLine(await page.ContentAsync());
        await Browser.ShotAsync(page, "probe");
        Console.WriteLine(silo.Output);
    }
}
