using System.Collections.Immutable;
using TwinCluster.Analytics.Prognostics;

namespace TwinCluster.Grains.Condition;

/// <summary>
/// Health over time, one point per <see cref="ConditionOptions.HistoryInterval"/> (the mean of its windows), and the
/// remaining life fitted to the closed points. The last point is open until a window falls in the next interval.
/// </summary>
internal sealed class HealthHistory
{
    private readonly List<Point> _points = [];
    private readonly long _intervalTicks;
    private readonly int _length;
    private readonly RulEstimator _estimator;
    private readonly double[] _times;
    private readonly double[] _health;

    public HealthHistory(ConditionOptions options)
    {
        _intervalTicks = options.HistoryInterval.Ticks;
        _length = options.HistoryLength;
        _estimator = new RulEstimator(new RulEstimatorOptions
        {
            AlarmThreshold = options.AlarmHealth,
            TrendWindow = options.RulTrendPoints,
            MinPoints = options.RulMinPoints,
        });
        _times = new double[_length];
        _health = new double[_length];
    }

    /// <summary>Adds a window's health; true when that closed the previous point.</summary>
    public bool Add(long ticks, double health)
    {
        if (_points.Count > 0)
        {
            var open = _points[^1];
            if (ticks - open.StartTicks < _intervalTicks && ticks >= open.StartTicks)
            {
                var n = open.Windows + 1;
                _points[^1] = new Point(open.StartTicks, open.MeanTicks + (ticks - open.MeanTicks) / n, open.Health + (health - open.Health) / n, n);
                return false;
            }
        }

        _points.Add(new Point(ticks, ticks, health, 1));
        if (_points.Count > _length + 1)
        {
            _points.RemoveAt(0);
        }

        return _points.Count > 1;
    }

    /// <summary>Remaining life from the closed points; null without enough of them or without a trend.</summary>
    public RemainingLife? Estimate()
    {
        var closed = Math.Min(_points.Count - 1, _length);
        if (closed < _estimator.Options.MinPoints)
        {
            return null;
        }

        var first = _points.Count - 1 - closed;
        var origin = _points[first].MeanTicks;
        for (var i = 0; i < closed; i++)
        {
            var p = _points[first + i];
            _times[i] = (p.MeanTicks - origin) / TimeSpan.TicksPerSecond;
            _health[i] = p.Health;
        }

        var estimate = _estimator.Estimate(_times.AsSpan(0, closed), _health.AsSpan(0, closed));
        // The estimator caps its answer at three times the span observed: a capped answer says "not before then", no number.
        var horizon = 3 * Math.Max(_times[closed - 1], 1);
        if (estimate.Method is not ("trend" or "crossed") || estimate.RulSeconds >= horizon * (1 - 1e-9))
        {
            return null;
        }

        var asOf = new DateTime((long)_points[first + closed - 1].MeanTicks, DateTimeKind.Utc);
        return new RemainingLife(estimate.RulSeconds, estimate.LowerSeconds, estimate.UpperSeconds, asOf);
    }

    public ImmutableArray<HealthPoint> ToImmutable()
    {
        var builder = ImmutableArray.CreateBuilder<HealthPoint>(_points.Count);
        foreach (var p in _points)
        {
            builder.Add(new HealthPoint(new DateTime(p.StartTicks, DateTimeKind.Utc), new DateTime((long)p.MeanTicks, DateTimeKind.Utc), p.Health, p.Windows));
        }

        return builder.MoveToImmutable();
    }

    public void Load(ImmutableArray<HealthPoint> points)
    {
        _points.Clear();
        if (points.IsDefault)
        {
            return;
        }

        foreach (var p in points.Length > _length + 1 ? points[^(_length + 1)..] : points)
        {
            _points.Add(new Point(p.StartUtc.Ticks, p.TimeUtc.Ticks, p.Health, Math.Max(1, p.Windows)));
        }
    }

    private readonly record struct Point(long StartTicks, double MeanTicks, double Health, int Windows);
}
