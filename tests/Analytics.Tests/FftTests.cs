using System.Numerics;
using MathNet.Numerics.IntegralTransforms;
using TwinCluster.Analytics.Fft;

namespace TwinCluster.Analytics.Tests;

public sealed class FftTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(512)]
    [InlineData(2048)]
    [InlineData(4096)]
    [InlineData(32768)]
    public void Complex_fft_matches_MathNet(int n)
    {
        var rng = new Random(n);
        var re = new double[n];
        var im = new double[n];
        var reference = new Complex[n];
        for (var i = 0; i < n; i++)
        {
            re[i] = rng.NextDouble() - 0.5;
            im[i] = rng.NextDouble() - 0.5;
            reference[i] = new Complex(re[i], im[i]);
        }

        new ComplexFft(n).Forward(re, im);
        Fourier.Forward(reference, FourierOptions.Matlab);
        for (var k = 0; k < n; k++)
        {
            Assert.Equal(reference[k].Real, re[k], 1e-9 * Math.Sqrt(n));
            Assert.Equal(reference[k].Imaginary, im[k], 1e-9 * Math.Sqrt(n));
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    [InlineData(1024)]
    [InlineData(4096)]
    [InlineData(16384)]
    public void Real_fft_matches_MathNet(int n)
    {
        var rng = new Random(n + 1);
        var x = new double[n];
        var reference = new Complex[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = rng.NextDouble() - 0.5;
            reference[i] = new Complex(x[i], 0);
        }

        var fft = new RealFft(n);
        var re = new double[fft.BinCount];
        var im = new double[fft.BinCount];
        fft.Forward(x, re, im);
        Fourier.Forward(reference, FourierOptions.Matlab);
        for (var k = 0; k <= n / 2; k++)
        {
            Assert.Equal(reference[k].Real, re[k], 1e-9 * Math.Sqrt(n));
            Assert.Equal(reference[k].Imaginary, im[k], 1e-9 * Math.Sqrt(n));
        }
    }

    [Fact]
    public void Inverse_undoes_forward()
    {
        const int n = 2048;
        var rng = new Random(7);
        var re = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var im = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var re0 = (double[])re.Clone();
        var im0 = (double[])im.Clone();
        var fft = new ComplexFft(n);
        fft.Forward(re, im);
        fft.Inverse(re, im);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(re0[i], re[i], 1e-12);
            Assert.Equal(im0[i], im[i], 1e-12);
        }
    }

    [Fact]
    public void A_sine_lands_in_its_bin()
    {
        const int n = 1024;
        var x = Enumerable.Range(0, n).Select(i => Math.Cos(2 * Math.PI * 37 * i / n)).ToArray();
        var fft = new RealFft(n);
        var re = new double[fft.BinCount];
        var im = new double[fft.BinCount];
        fft.Forward(x, re, im);
        Assert.Equal(n / 2.0, re[37], 1e-9);
        Assert.True(Math.Abs(re[36]) < 1e-9 && Math.Abs(re[38]) < 1e-9);
    }

    [Fact]
    public void Non_power_of_two_lengths_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ComplexFft(1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RealFft(6));
    }
}
