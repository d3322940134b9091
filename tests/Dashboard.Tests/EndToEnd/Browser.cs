using Microsoft.Playwright;

namespace TwinCluster.Dashboard.Tests.EndToEnd;

/// <summary>Playwright driving Debian's chromium headless; one context (cookie jar) per user.</summary>
public sealed class Browser : IAsyncDisposable
{
    private IPlaywright? _playwright;

    // A laptop's window: the pages' two-column layouts apply, and the README's screenshots stay small.
    private const int Width = 1280;
    private const int Height = 800;

    public IBrowser Chromium { get; private set; } = null!;

    public static async Task<Browser> LaunchAsync()
    {
        var executable = EndToEnd.Chromium.Require();
        var b = new Browser { _playwright = await Playwright.CreateAsync() };
        b.Chromium = await b._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            // Root in a container has no user namespace for chromium's sandbox.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        return b;
    }

    /// <summary>
    /// A fresh browser profile. The silo's HTTPS certificate is the development one it made for this run: the
    /// browser accepts it (as a person clicking through the warning would); the API tests check the chain itself.
    /// </summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = Width, Height = Height },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        // The browser's console and failed requests go to the test output: a page that does not come alive says why.
        page.Console += (_, m) => Console.WriteLine($"[browser {m.Type}] {m.Text}");
        page.RequestFailed += (_, r) => Console.WriteLine($"[browser request failed] {r.Url}: {r.Failure}");
        page.Response += (_, r) =>
        {
            if (r.Status >= 400)
            {
                Console.WriteLine($"[browser response {r.Status}] {r.Url}");
            }
        };
        return page;
    }

    /// <summary>
    /// Saves a screenshot of the whole page as NAME.png in the screenshot folder; returns the path. The window is made as
    /// tall as the page first (a full-page capture of a taller page would draw the fixed navigation drawer only as tall
    /// as the window), then put back.
    /// </summary>
    public static async Task<string> ShotAsync(IPage page, string name)
    {
        var path = Path.Combine(DemoSilo.ScreenshotFolder, name + ".png");
        var tall = Math.Clamp(await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight"), Height, 4 * Height);
        if (tall > Height)
        {
            await page.SetViewportSizeAsync(Width, tall);
            // Two animation frames: the layout (and Plotly's responsive resize) has run before the capture.
            await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        if (tall > Height)
        {
            await page.SetViewportSizeAsync(Width, Height);
        }

        return path;
    }

    public async ValueTask DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
