using TwinCluster.Dashboard.Services;

namespace TwinCluster.Dashboard.Tests.Components;

/// <summary>
/// The condition page's redraws: one at a time, of the latest version, however many updates arrive while the browser
/// is still drawing (a queue of them is what made a circuit's memory grow with a slow browser).
/// </summary>
public sealed class LatestRedrawTests
{
    [Fact]
    public async Task Updates_during_a_slow_redraw_become_one_redraw_of_the_latest()
    {
        var gate = new LatestRedraw();
        var version = 1L;
        var browser = new TaskCompletionSource();
        var drawnVersions = new List<long>();
        var concurrent = 0;
        var maxConcurrent = 0;
        async Task Draw()
        {
            maxConcurrent = Math.Max(maxConcurrent, ++concurrent);
            drawnVersions.Add(version);
            if (drawnVersions.Count == 1)
            {
                await browser.Task;   // the first redraw waits for a slow browser
            }

            concurrent--;
        }

        var first = gate.DrawAsync(() => version, Draw);
        Assert.False(first.IsCompleted);
        Assert.Equal(1, gate.Running);

        // Ten more updates while the browser is busy: each returns at once, none draws.
        for (var i = 0; i < 10; i++)
        {
            version++;
            var more = gate.DrawAsync(() => version, Draw);
            Assert.True(more.IsCompleted);
        }

        Assert.Equal([1L], drawnVersions);
        browser.SetResult();
        await first;

        // The first redraw's loop drew the newest once more, nothing in between.
        Assert.Equal([1L, 11L], drawnVersions);
        Assert.Equal(11, gate.Drawn);
        Assert.Equal(2, gate.Redraws);
        Assert.Equal(1, maxConcurrent);
        Assert.Equal(0, gate.Running);

        // Nothing new: no redraw.
        await gate.DrawAsync(() => version, Draw);
        Assert.Equal(2, gate.Redraws);
    }

    [Fact]
    public async Task What_the_first_render_showed_is_not_drawn_again_and_a_failed_redraw_frees_the_gate()
    {
        var gate = new LatestRedraw();
        gate.Shown(5);
        var draws = 0;
        await gate.DrawAsync(() => 5, () => { draws++; return Task.CompletedTask; });
        Assert.Equal(0, draws);

        await Assert.ThrowsAsync<InvalidOperationException>(() => gate.DrawAsync(() => 6, () => throw new InvalidOperationException("circuit gone")));
        Assert.Equal(0, gate.Running);
        Assert.Equal(5, gate.Drawn);
        await gate.DrawAsync(() => 6, () => { draws++; return Task.CompletedTask; });
        Assert.Equal(1, draws);
        Assert.Equal(6, gate.Drawn);
    }
}
