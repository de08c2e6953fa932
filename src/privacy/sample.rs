//! Exact integer noise samplers for differential privacy.
//!
//! The algorithms follow Canonne, Kamath and Steinke (2020), "The Discrete Gaussian for Differential
//! Privacy" (CKS20): Bernoulli(exp(-γ)) by an alternating series (their Algorithm 1), the discrete
//! Laplace by a geometric built from Bernoulli(exp(-1)) trials (Algorithm 2) and the discrete Gaussian
//! by rejection from a discrete Laplace (Algorithm 3). Every decision is a comparison of a uniform
//! random integer against an exact rational, so the output law is exactly the stated one. No sampler
//! here computes `ln(uniform)` in floating point: Mironov (2012), "On Significance of the Least
//! Significant Bits for Differential Privacy", showed that such samplers leak the secret through the
//! gaps between representable doubles.
//!
//! Floating point appears only in [`Ratio::to_f64`] and in the pmf functions, which are for display,
//! tests and audits, never for drawing noise.

use std::fmt;

use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::{One, ToPrimitive, Zero};
use rand::Rng;

/// A non-negative rational number num/den (den > 0), exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ratio {
    pub num: BigUint,
    pub den: BigUint,
}

impl Ratio {
    /// Panics if `den == 0`.
    pub fn new(num: u64, den: u64) -> Ratio {
        Ratio::reduced(num.into(), den.into())
    }

    pub fn integer(n: u64) -> Ratio {
        Ratio { num: n.into(), den: BigUint::one() }
    }

    /// The exact value of a finite non-negative f64 (every f64 is a dyadic rational m·2^e). None for
    /// negative, NaN or infinite. `-0.0` is zero.
    pub fn from_f64(x: f64) -> Option<Ratio> {
        if !x.is_finite() || x < 0.0 {
            return None;
        }
        let bits = x.to_bits();
        let biased = (bits >> 52) & 0x7ff;
        let fraction = bits & ((1 << 52) - 1);
        // Subnormals have no implicit leading one and the exponent of the smallest normal.
        let (mantissa, exp) = if biased == 0 { (fraction, -1074) } else { (fraction | 1 << 52, biased as i64 - 1075) };
        let mantissa = BigUint::from(mantissa);
        Some(if exp >= 0 {
            Ratio { num: mantissa << exp, den: BigUint::one() }
        } else {
            Ratio::reduced(mantissa, BigUint::one() << -exp)
        })
    }

    /// The nearest f64 (ties to even), for display and pmf arguments only. Results in the subnormal
    /// range may be off by one unit in the last place (double rounding).
    pub fn to_f64(&self) -> f64 {
        if self.num.is_zero() {
            return 0.0;
        }
        // Scale so that the integer quotient carries at least 66 significant bits; a non-zero remainder
        // is folded into the lowest bit (a sticky bit), far below the rounding position, so that
        // BigUint::to_f64 (itself correctly rounded) rounds the quotient as it would the exact value.
        let shift = 66 + self.den.bits() as i64 - self.num.bits() as i64;
        let (n, d) =
            if shift >= 0 { (&self.num << shift, self.den.clone()) } else { (self.num.clone(), &self.den << -shift) };
        let (mut q, r) = n.div_rem(&d);
        if !r.is_zero() {
            q |= BigUint::one();
        }
        scale_pow2(q.to_f64().unwrap_or(f64::INFINITY), -shift)
    }

    pub fn mul(&self, o: &Ratio) -> Ratio {
        Ratio::reduced(&self.num * &o.num, &self.den * &o.den)
    }

    /// Panics on division by zero.
    pub fn div(&self, o: &Ratio) -> Ratio {
        assert!(!o.is_zero(), "Ratio::div by zero");
        Ratio::reduced(&self.num * &o.den, &self.den * &o.num)
    }

    pub fn add(&self, o: &Ratio) -> Ratio {
        Ratio::reduced(&self.num * &o.den + &o.num * &self.den, &self.den * &o.den)
    }

    pub fn floor(&self) -> BigUint {
        &self.num / &self.den
    }

    pub fn is_zero(&self) -> bool {
        self.num.is_zero()
    }

    fn reduced(num: BigUint, den: BigUint) -> Ratio {
        assert!(!den.is_zero(), "Ratio with zero denominator");
        let g = num.gcd(&den);
        if g.is_one() { Ratio { num, den } } else { Ratio { num: num / &g, den: den / &g } }
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

/// v·2^e, in steps small enough that no intermediate power of two overflows or underflows.
fn scale_pow2(mut v: f64, mut e: i64) -> f64 {
    while e != 0 {
        let step = e.clamp(-1000, 1000);
        v *= 2f64.powi(step as i32);
        e -= step;
    }
    v
}

/// Uniform integer in [0, n), exact (rejection on random bits), n > 0.
///
/// Draws the random integer one 64-bit word at a time, least significant first, masking the top word
/// to the bit length of n - 1; the small-number path below consumes the generator identically, so a
/// seed gives the same stream whichever path a value takes.
pub fn uniform_below<R: Rng + ?Sized>(rng: &mut R, n: &BigUint) -> BigUint {
    assert!(!n.is_zero(), "uniform_below(0)");
    if let Some(n) = n.to_u128() {
        return uniform_below_u128(rng, n).into();
    }
    let top = n - 1u32;
    let bits = top.bits();
    let words = bits.div_ceil(64);
    let mask = u64::MAX >> (words * 64 - bits);
    loop {
        let digits: Vec<u32> = (0..words)
            .flat_map(|i| {
                let w = if i + 1 == words { rng.next_u64() & mask } else { rng.next_u64() };
                [w as u32, (w >> 32) as u32]
            })
            .collect();
        let x = BigUint::new(digits);
        if x <= top {
            return x;
        }
    }
}

fn uniform_below_u128<R: Rng + ?Sized>(rng: &mut R, n: u128) -> u128 {
    assert!(n > 0, "uniform_below(0)");
    let top = n - 1;
    if top == 0 {
        return 0;
    }
    let mask = u128::MAX >> top.leading_zeros();
    loop {
        let low = rng.next_u64() as u128;
        let x = if mask > u64::MAX as u128 { low | (rng.next_u64() as u128) << 64 } else { low } & mask;
        if x <= top {
            return x;
        }
    }
}

/// Bernoulli(p) for rational p in [0, 1].
pub fn bernoulli<R: Rng + ?Sized>(rng: &mut R, p: &Ratio) -> bool {
    assert!(p.num <= p.den, "bernoulli: p = {p} > 1");
    uniform_below(rng, &p.den) < p.num
}

/// Bernoulli(exp(-gamma)) for rational gamma >= 0: CKS20 Algorithm 1 (alternating series for gamma in
/// [0,1], and exp(-1) repeated floor(gamma) times plus the fractional part otherwise).
pub fn bernoulli_exp_neg<R: Rng + ?Sized>(rng: &mut R, gamma: &Ratio) -> bool {
    exp_neg(rng, &gamma.num, &gamma.den)
}

/// Bernoulli(exp(-num/den)); takes the parts by reference so that hot callers need not build a Ratio.
fn exp_neg<R: Rng + ?Sized>(rng: &mut R, num: &BigUint, den: &BigUint) -> bool {
    let (whole, frac) = num.div_rem(den);
    // exp(-γ) = exp(-1)^floor(γ) · exp(-frac(γ)): stop at the first failed factor.
    let mut done = BigUint::ZERO;
    while done < whole {
        if !exp_neg_unit_u64(rng, 1, 1) {
            return false;
        }
        done += 1u32;
    }
    exp_neg_unit(rng, &frac, den)
}

/// Bernoulli(exp(-n/d)) for 0 <= n <= d. With K the first index whose Bernoulli(γ/K) fails,
/// P(K > k) = γ^k / k!, so P(K odd) = Σ (-γ)^k / k! = exp(-γ) (CKS20, Algorithm 1).
fn exp_neg_unit<R: Rng + ?Sized>(rng: &mut R, n: &BigUint, d: &BigUint) -> bool {
    if let (Some(n), Some(d)) = (n.to_u64(), d.to_u64()) {
        return exp_neg_unit_u64(rng, n, d);
    }
    let mut k = 1u64;
    while uniform_below(rng, &(d * k)) < *n {
        k += 1;
    }
    k % 2 == 1
}

/// The same series without big integers: d·k fits u128 for any k the loop can reach.
fn exp_neg_unit_u64<R: Rng + ?Sized>(rng: &mut R, n: u64, d: u64) -> bool {
    let mut k = 1u64;
    while uniform_below_u128(rng, d as u128 * k as u128) < n as u128 {
        k += 1;
    }
    k % 2 == 1
}

/// Discrete Laplace: P(x) ∝ exp(-|x| / scale) on the integers, scale > 0 rational. CKS20 Algorithm 2
/// (write scale = t/s with integers, geometric via Bernoulli(exp(-1)), etc.).
///
/// Panics if the draw does not fit an i64 (only plausible for scales beyond about 10^17).
pub fn discrete_laplace<R: Rng + ?Sized>(rng: &mut R, scale: &Ratio) -> i64 {
    assert!(!scale.is_zero(), "discrete_laplace: scale must be > 0");
    let (t, s) = (&scale.num, &scale.den);
    loop {
        // X = U + t·V with U uniform on [0, t) accepted with probability exp(-U/t) and V geometric
        // with ratio exp(-1) makes P(X = x) ∝ exp(-x/t): a geometric of ratio exp(-1/t) built without
        // ever evaluating exp(-1/t).
        let u = uniform_below(rng, t);
        if !exp_neg_unit(rng, &u, t) {
            continue;
        }
        let mut v = 0u64;
        while exp_neg_unit_u64(rng, 1, 1) {
            v += 1;
        }
        // floor(X/s) is geometric with ratio exp(-s/t); a random sign, with -0 rejected so that zero
        // is not counted twice, gives the two-sided law.
        let y = (u + t * v) / s;
        let negative = uniform_below_u128(rng, 2) == 1;
        if negative && y.is_zero() {
            continue;
        }
        let y = i64::try_from(&y).expect("discrete_laplace: draw overflows i64");
        return if negative { -y } else { y };
    }
}

/// Discrete Gaussian: P(x) ∝ exp(-x² / (2 sigma2)) on the integers, sigma2 > 0 rational. CKS20
/// Algorithm 3 (t = floor(sigma)+1 computed exactly with integer square roots, proposal discrete Laplace
/// of scale t, accept with Bernoulli(exp(-(|y| - sigma2/t)² / (2 sigma2))) computed as an exact
/// rational with BigUint: the squares overflow u128 for large parameters).
pub fn discrete_gaussian<R: Rng + ?Sized>(rng: &mut R, sigma2: &Ratio) -> i64 {
    assert!(!sigma2.is_zero(), "discrete_gaussian: sigma2 must be > 0");
    let (p, q) = (&sigma2.num, &sigma2.den);
    // floor(sqrt(x)) = isqrt(floor(x)) for real x >= 0.
    let t = (p / q).sqrt() + 1u32;
    let proposal = Ratio { num: t.clone(), den: BigUint::one() };
    // With sigma2 = p/q: (|y| - sigma2/t)² / (2 sigma2) = (|y|·q·t - p)² / (2·p·q·t²).
    let qt = q * &t;
    let den = (p * &qt * &t) << 1;
    loop {
        let y = discrete_laplace(rng, &proposal);
        let a = &qt * y.unsigned_abs();
        let diff = if a >= *p { a - p } else { p - a };
        if exp_neg(rng, &(&diff * &diff), &den) {
            return y;
        }
    }
}

/// Planar Laplace on the integer lattice Z² (geo-indistinguishability, Andrés et al. 2013), sampled
/// exactly: P(z) ∝ exp(-eps · d(z)) where d(z) = ceil(‖z‖₂ · 2^bits) / 2^bits, computed exactly with an
/// integer square root of (x²+y²)·4^bits.
///
/// d is a metric (ceil of a norm is subadditive), within 2^-bits of the Euclidean norm, so the mechanism
/// is eps-geo-indistinguishable per lattice step up to that rounding.
///
/// Sampling: proposal = two independent discrete Laplaces of scale 1/(eps·7/10) on x and y
/// (P ∝ exp(-alpha(|x|+|y|)) with alpha = eps·7/10 ≤ eps/√2, so alpha·‖z‖₁ ≤ eps·‖z‖₂ ≤ eps·d(z)); accept
/// with Bernoulli(exp(-(eps·d(z) - alpha·‖z‖₁))), an exact rational exponent >= 0. About three proposals
/// in four are accepted.
pub fn planar_laplace_lattice<R: Rng + ?Sized>(rng: &mut R, eps: &Ratio, bits: u32) -> (i64, i64) {
    assert!(!eps.is_zero(), "planar_laplace_lattice: eps must be > 0");
    let (a, b) = (&eps.num, &eps.den);
    let proposal = Ratio::reduced(b * 10u32, a * 7u32);
    let unit = BigUint::one() << bits;
    // With eps = a/b and c = 2^bits·d(z): eps·d(z) - alpha·‖z‖₁ = a·(10c - 7·2^bits·‖z‖₁) / (10·b·2^bits).
    let den = b * &unit * 10u32;
    loop {
        let (x, y) = (discrete_laplace(rng, &proposal), discrete_laplace(rng, &proposal));
        let c = lattice_distance_units(x, y, bits);
        let l1 = &unit * (x.unsigned_abs() as u128 + y.unsigned_abs() as u128) * 7u32;
        // Non-negative because 10c >= 10·2^bits·‖z‖₂ >= (10/√2)·2^bits·‖z‖₁; BigUint would panic otherwise.
        let num = a * (c * 10u32 - l1);
        if exp_neg(rng, &num, &den) {
            return (x, y);
        }
    }
}

/// ceil(‖(x, y)‖₂ · 2^bits), exactly.
fn lattice_distance_units(x: i64, y: i64, bits: u32) -> BigUint {
    let (x, y) = (BigUint::from(x.unsigned_abs()), BigUint::from(y.unsigned_abs()));
    let n = (&x * &x + &y * &y) << (2 * bits as u64);
    let r = n.sqrt();
    if &r * &r == n { r } else { r + 1u32 }
}

/// Exact pmf of [`discrete_laplace`] in floating point, for tests and the privacy audit (not a sampler).
pub fn discrete_laplace_pmf(scale: f64, x: i64) -> f64 {
    let a = 1.0 / scale;
    // (1 - e^-a) / (1 + e^-a) = tanh(a/2), which keeps its precision for large scales.
    (a / 2.0).tanh() * (-a * x.unsigned_abs() as f64).exp()
}

/// Exact pmf of [`discrete_gaussian`] in floating point, for tests and the privacy audit (not a
/// sampler). The normalising series is summed over |x| <= 12σ + 1, beyond which terms are below e^-72;
/// the cost of a call grows with σ.
pub fn discrete_gaussian_pmf(sigma2: f64, x: i64) -> f64 {
    let bound = (12.0 * sigma2.sqrt()).ceil() as i64 + 1;
    let term = |k: i64| (-((k as f64).powi(2)) / (2.0 * sigma2)).exp();
    // Smallest terms first, so that they are not lost against the large ones.
    let norm = 1.0 + 2.0 * (1..=bound).rev().map(term).sum::<f64>();
    term(x) / norm
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;
    use statrs::distribution::{ChiSquared, ContinuousCDF};
    use std::collections::HashMap;

    const DRAWS: usize = 100_000;

    /// Pearson's statistic and its upper-tail p-value with bins - 1 degrees of freedom.
    fn chi_square(observed: &[u64], expected: &[f64]) -> (f64, f64) {
        assert_eq!(observed.len(), expected.len());
        assert!(expected.iter().all(|&e| e >= 5.0), "a bin expects fewer than 5");
        let stat: f64 = observed.iter().zip(expected).map(|(&o, &e)| (o as f64 - e).powi(2) / e).sum();
        let df = (observed.len() - 1) as f64;
        (stat, 1.0 - ChiSquared::new(df).unwrap().cdf(stat))
    }

    /// Goodness of fit of integer draws against a pmf symmetric and decreasing in |x|: one bin per value
    /// with |x| < m, where m is the last |x| expecting at least 5 draws, and each tail pooled into an edge
    /// bin, x <= -m or x >= m.
    fn symmetric_fit(draws: &[i64], pmf: impl Fn(i64) -> f64) -> (f64, f64) {
        let n = draws.len() as f64;
        let mut m = 1;
        while n * pmf(m + 1) >= 5.0 {
            m += 1;
        }
        let inner: f64 = (1 - m..m).map(&pmf).sum();
        let edge = n * (1.0 - inner) / 2.0;
        let expected: Vec<f64> = std::iter::once(edge).chain((1 - m..m).map(|x| n * pmf(x))).chain([edge]).collect();
        let mut observed = vec![0u64; expected.len()];
        for &x in draws {
            observed[(x.clamp(-m, m) + m) as usize] += 1;
        }
        chi_square(&observed, &expected)
    }

    fn assert_fit(what: &str, (stat, p): (f64, f64)) {
        println!("{what}: chi-square {stat:.2}, p = {p:.4}");
        assert!(p > 0.001, "{what}: chi-square {stat:.2}, p = {p:.3e}");
    }

    fn draws(seed: u64, mut draw: impl FnMut(&mut ChaCha20Rng) -> i64) -> Vec<i64> {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        (0..DRAWS).map(|_| draw(&mut rng)).collect()
    }

    fn mean_var(xs: &[i64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().map(|&x| x as f64).sum::<f64>() / n;
        (mean, xs.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / (n - 1.0))
    }

    #[test]
    fn discrete_laplace_matches_pmf() {
        for (seed, (num, den)) in [(1, 2), (1, 1), (37, 10), (25, 1)].into_iter().enumerate() {
            let scale = Ratio::new(num, den);
            let xs = draws(seed as u64, |rng| discrete_laplace(rng, &scale));
            assert_fit(
                &format!("discrete_laplace scale {scale}"),
                symmetric_fit(&xs, |x| discrete_laplace_pmf(scale.to_f64(), x)),
            );
        }
    }

    #[test]
    fn discrete_gaussian_matches_pmf() {
        for (seed, (num, den)) in [(4, 5), (4, 1), (20, 1), (400, 1)].into_iter().enumerate() {
            let sigma2 = Ratio::new(num, den);
            let xs = draws(100 + seed as u64, |rng| discrete_gaussian(rng, &sigma2));
            assert_fit(
                &format!("discrete_gaussian sigma2 {sigma2}"),
                symmetric_fit(&xs, |x| discrete_gaussian_pmf(sigma2.to_f64(), x)),
            );
        }
    }

    #[test]
    fn bernoulli_exp_neg_matches_exp() {
        for (seed, (num, den)) in [(0, 1), (1, 3), (1, 1), (5, 2)].into_iter().enumerate() {
            let gamma = Ratio::new(num, den);
            let hits = draws(200 + seed as u64, |rng| bernoulli_exp_neg(rng, &gamma) as i64).iter().sum::<i64>() as u64;
            let p = (-gamma.to_f64()).exp();
            if p == 1.0 {
                assert_eq!(hits, DRAWS as u64, "exp(-0) must always succeed");
                continue;
            }
            let n = DRAWS as f64;
            let fit = chi_square(&[hits, DRAWS as u64 - hits], &[n * p, n * (1.0 - p)]);
            assert_fit(&format!("bernoulli_exp_neg gamma {gamma}"), fit);
        }
    }

    /// Two-sided exact binomial p-value of `hits` in `n` draws of Bernoulli(p):
    /// twice the smaller tail, from the binomial's own cdf (no normal
    /// approximation, so small p are tested as exactly as large ones).
    fn binomial_p_value(hits: u64, n: u64, p: f64) -> f64 {
        use statrs::distribution::{Binomial, DiscreteCDF};
        let b = Binomial::new(p, n).unwrap();
        let lower = b.cdf(hits);
        let upper = if hits == 0 { 1.0 } else { b.sf(hits - 1) };
        (2.0 * lower.min(upper)).min(1.0)
    }

    #[test]
    fn bernoulli_exp_neg_tails_are_exact() {
        // γ from near 0 (failures are the rare tail) to 12 (successes are,
        // e^−12 ≈ 6e-6), through both sides of integers (the exp(−1) loop
        // and the fractional series) and a denominator past u64 (BigUint path).
        let big = Ratio { num: (BigUint::one() << 70u32) * 3u32 + 1u32, den: BigUint::one() << 70u32 };
        let cases = [
            (Ratio::new(1, 1000), 200_000),
            (Ratio::new(999, 1000), 200_000),
            (Ratio::new(1001, 1000), 200_000),
            (big, 200_000),
            (Ratio::new(5, 1), 400_000),
            (Ratio::new(29, 3), 1_000_000),
            (Ratio::integer(12), 2_000_000),
        ];
        for (i, (gamma, n)) in cases.iter().enumerate() {
            let mut rng = ChaCha20Rng::seed_from_u64(900 + i as u64);
            let hits = (0..*n).filter(|_| bernoulli_exp_neg(&mut rng, gamma)).count() as u64;
            let p = (-gamma.to_f64()).exp();
            let pv = binomial_p_value(hits, *n, p);
            println!(
                "bernoulli_exp_neg γ {:.4}: {hits} of {n}, expected {:.1}, exact p = {pv:.4}",
                gamma.to_f64(),
                p * *n as f64
            );
            assert!(pv > 1e-4, "γ {gamma}: {hits} successes in {n}, expected {:.1} (p = {pv:.2e})", p * *n as f64);
            // The test has teeth: the same counts refute a probability 10% off (γ ± ln 1.1).
            if p * (*n as f64) > 2000.0 && (1.0 - p) * (*n as f64) > 2000.0 {
                for wrong in [p * 1.1, p / 1.1] {
                    assert!(binomial_p_value(hits, *n, wrong) < 1e-4, "γ {gamma}: {wrong} not refuted");
                }
            }
        }
        // The run of successes before the first failure is geometric: P(run ≥ k) = e^(−γk) exactly.
        let gamma = Ratio::new(7, 10);
        let mut rng = ChaCha20Rng::seed_from_u64(950);
        let n = 200_000u64;
        let runs: Vec<u64> = (0..n)
            .map(|_| {
                let mut k = 0;
                while bernoulli_exp_neg(&mut rng, &gamma) {
                    k += 1;
                }
                k
            })
            .collect();
        for k in 1..=12u64 {
            let hits = runs.iter().filter(|r| **r >= k).count() as u64;
            let p = (-0.7 * k as f64).exp();
            let pv = binomial_p_value(hits, n, p);
            assert!(pv > 1e-4, "P(run ≥ {k}): {hits} of {n}, expected {:.1} (p = {pv:.2e})", p * n as f64);
        }
    }

    #[test]
    fn bernoulli_and_uniform_below_are_uniform() {
        let mut rng = ChaCha20Rng::seed_from_u64(300);
        let p = Ratio::new(2, 7);
        let hits = (0..DRAWS).filter(|_| bernoulli(&mut rng, &p)).count() as u64;
        let n = DRAWS as f64;
        assert_fit("bernoulli 2/7", chi_square(&[hits, DRAWS as u64 - hits], &[n * 2.0 / 7.0, n * 5.0 / 7.0]));
        // Sizes on the u128 path, just past it, and well into the BigUint path; 10 bins of equal width
        // (up to one value).
        for (i, n) in [BigUint::from(10u32), BigUint::one() << 128u32, (BigUint::from(3u32) << 200u32) + 7u32]
            .into_iter()
            .enumerate()
        {
            let mut counts = [0u64; 10];
            for _ in 0..DRAWS {
                let x = uniform_below(&mut rng, &n);
                assert!(x < n);
                counts[(x * 10u32 / &n).to_usize().unwrap()] += 1;
            }
            assert_fit(&format!("uniform_below case {i}"), chi_square(&counts, &[DRAWS as f64 / 10.0; 10]));
        }
    }

    #[test]
    fn uniform_below_paths_consume_the_same_stream() {
        // Below 2^128 uniform_below takes the u128 path; the BigUint path must draw the same words.
        let n = (BigUint::one() << 100u32) + 12345u32;
        let (mut a, mut b) = (ChaCha20Rng::seed_from_u64(7), ChaCha20Rng::seed_from_u64(7));
        for _ in 0..1000 {
            let top = &n - 1u32;
            let bits = top.bits();
            let mask = u64::MAX >> (128 - bits);
            let big = loop {
                let x = BigUint::from(a.next_u64()) | BigUint::from(a.next_u64() & mask) << 64u32;
                if x <= top {
                    break x;
                }
            };
            assert_eq!(uniform_below(&mut b, &n), big);
        }
    }

    /// Exact pmf of the planar lattice Laplace over the box |x|, |y| <= half, which must hold all but
    /// a negligible mass.
    fn planar_pmf(eps: f64, bits: u32, half: i64) -> HashMap<(i64, i64), f64> {
        let weight = |x: i64, y: i64| {
            // Independent of the sampler's helper: u128 integer square root, rounded up.
            let n = ((x * x + y * y) as u128) << (2 * bits);
            let r = n.isqrt();
            let c = if r * r == n { r } else { r + 1 };
            (-eps * c as f64 / (1u128 << bits) as f64).exp()
        };
        let cells: Vec<_> = (-half..=half).flat_map(|x| (-half..=half).map(move |y| ((x, y), weight(x, y)))).collect();
        let total: f64 = cells.iter().map(|c| c.1).sum();
        cells.into_iter().map(|(z, w)| (z, w / total)).collect()
    }

    #[test]
    fn planar_laplace_lattice_matches_pmf() {
        for (seed, (num, den)) in [(1, 2), (1, 1)].into_iter().enumerate() {
            let (eps, bits) = (Ratio::new(num, den), 16);
            let pmf = planar_pmf(eps.to_f64(), bits, 120);
            let mut rng = ChaCha20Rng::seed_from_u64(400 + seed as u64);
            let mut counts: HashMap<(i64, i64), u64> = HashMap::new();
            for _ in 0..DRAWS {
                *counts.entry(planar_laplace_lattice(&mut rng, &eps, bits)).or_default() += 1;
            }
            // One bin per lattice point expecting at least 5 draws; everything else pooled.
            let n = DRAWS as f64;
            let (mut observed, mut expected) = (vec![0], vec![n]);
            for (z, &p) in &pmf {
                if n * p >= 5.0 {
                    observed.push(counts.get(z).copied().unwrap_or(0));
                    expected.push(n * p);
                }
            }
            observed[0] = DRAWS as u64 - observed[1..].iter().sum::<u64>();
            expected[0] = n - expected[1..].iter().sum::<f64>();
            let what = format!("planar_laplace_lattice eps {eps} ({} bins)", observed.len());
            assert_fit(&what, chi_square(&observed, &expected));
        }
    }

    #[test]
    fn means_and_variances() {
        for (seed, scale) in [Ratio::integer(10), Ratio::new(37, 10)].into_iter().enumerate() {
            let (mean, var) = mean_var(&draws(500 + seed as u64, |rng| discrete_laplace(rng, &scale)));
            let q = (-1.0 / scale.to_f64()).exp();
            let want = 2.0 * q / (1.0 - q).powi(2);
            println!("discrete_laplace scale {scale}: mean {mean:.4}, variance {var:.3} (exact {want:.3})");
            assert!(mean.abs() < 5.0 * (want / DRAWS as f64).sqrt());
            assert!((var / want - 1.0).abs() < 0.03);
        }
        for (seed, sigma2) in [400, 20].into_iter().enumerate() {
            let (mean, var) =
                mean_var(&draws(600 + seed as u64, |rng| discrete_gaussian(rng, &Ratio::integer(sigma2))));
            println!("discrete_gaussian sigma2 {sigma2}: mean {mean:.4}, variance {var:.3}");
            // For sigma2 >= 1 the discrete Gaussian's variance is sigma2 to within 1e-8 or so.
            assert!(mean.abs() < 5.0 * (sigma2 as f64 / DRAWS as f64).sqrt());
            assert!((var / sigma2 as f64 - 1.0).abs() < 0.03);
        }
        let mut rng = ChaCha20Rng::seed_from_u64(700);
        let (xs, ys): (Vec<i64>, Vec<i64>) =
            (0..DRAWS).map(|_| planar_laplace_lattice(&mut rng, &Ratio::new(1, 2), 16)).unzip();
        let ((mx, vx), (my, vy)) = (mean_var(&xs), mean_var(&ys));
        println!("planar eps 1/2: means {mx:.4} {my:.4}, variances {vx:.3} {vy:.3}");
        // Continuous planar Laplace: E[x²] = E[r²]/2 = 3/eps² = 12.
        assert!(mx.abs() < 0.1 && my.abs() < 0.1);
        assert!((vx / 12.0 - 1.0).abs() < 0.05 && (vy / 12.0 - 1.0).abs() < 0.05);
    }

    #[test]
    fn seeded_draws_are_deterministic() {
        let run = |seed| {
            let mut rng = ChaCha20Rng::seed_from_u64(seed);
            let mut out = Vec::new();
            for _ in 0..200 {
                out.push(discrete_laplace(&mut rng, &Ratio::new(37, 10)));
                out.push(discrete_gaussian(&mut rng, &Ratio::new(4, 5)));
                let (x, y) = planar_laplace_lattice(&mut rng, &Ratio::integer(1), 16);
                out.extend([x, y]);
            }
            out
        };
        assert_eq!(run(42), run(42));
        assert_ne!(run(42), run(43));
    }

    #[test]
    fn large_parameters_use_big_integers() {
        // sigma2 = 10^30: (|y|·q·t - p)² reaches 10^60, far past u128.
        let mut rng = ChaCha20Rng::seed_from_u64(800);
        let sigma2 = Ratio { num: BigUint::from(10u32).pow(30), den: BigUint::one() };
        let xs: Vec<i64> = (0..2000).map(|_| discrete_gaussian(&mut rng, &sigma2)).collect();
        let (_, var) = mean_var(&xs);
        assert!((var / 1e30 - 1.0).abs() < 0.15, "variance {var:e}");
        // A scale whose numerator and denominator both exceed u64: (2^70 + 1) / 2^68 ≈ 4.
        let scale = Ratio { num: (BigUint::one() << 70u32) + 1u32, den: BigUint::one() << 68u32 };
        let xs = draws(801, |rng| discrete_laplace(rng, &scale));
        assert_fit(
            "discrete_laplace scale (2^70+1)/2^68",
            symmetric_fit(&xs, |x| discrete_laplace_pmf(scale.to_f64(), x)),
        );
    }

    #[test]
    fn ratio_is_exact() {
        let tenth = Ratio::from_f64(0.1).unwrap();
        assert_eq!(tenth.to_string(), "3602879701896397/36028797018963968");
        assert_eq!(Ratio::from_f64(2.5), Some(Ratio::new(5, 2)));
        assert_eq!(Ratio::from_f64(0.0), Some(Ratio::integer(0)));
        assert_eq!(Ratio::from_f64(-0.0), Some(Ratio::integer(0)));
        assert_eq!(Ratio::from_f64(1e300).unwrap().den, BigUint::one());
        assert_eq!(Ratio::from_f64(f64::MIN_POSITIVE / 2f64.powi(52)).unwrap().den, BigUint::one() << 1074u32);
        for bad in [-1.0, -f64::MIN_POSITIVE, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(Ratio::from_f64(bad), None);
        }
        for x in [0.1, 1.0 / 3.0, 2.5, 1e-310, 5e-324, f64::MIN_POSITIVE, 123456.789, 1e300, f64::MAX] {
            assert_eq!(Ratio::from_f64(x).unwrap().to_f64(), x);
        }
        // Reductions and arithmetic.
        assert_eq!(Ratio::new(6, 4), Ratio { num: 3u32.into(), den: 2u32.into() });
        assert_eq!(Ratio::new(0, 9), Ratio::integer(0));
        assert_eq!(Ratio::new(1, 6).add(&Ratio::new(1, 3)), Ratio::new(1, 2));
        assert_eq!(Ratio::new(2, 3).mul(&Ratio::new(9, 4)), Ratio::new(3, 2));
        assert_eq!(Ratio::new(2, 3).div(&Ratio::new(4, 9)), Ratio::new(3, 2));
        assert_eq!(Ratio::new(37, 10).floor(), BigUint::from(3u32));
        assert!(Ratio::new(0, 3).is_zero() && !Ratio::new(1, 3).is_zero());
        assert_eq!(Ratio::new(1, 3).to_f64(), 1.0 / 3.0);
        assert_eq!(Ratio::new(2, 3).to_f64(), 2.0 / 3.0);
        // Huge unreduced parts must not overflow to inf/inf.
        let huge = Ratio { num: (BigUint::one() << 3000u32) + 1u32, den: BigUint::one() << 3000u32 };
        assert_eq!(huge.to_f64(), 1.0);
    }

    #[test]
    #[should_panic(expected = "zero denominator")]
    fn ratio_rejects_zero_denominator() {
        Ratio::new(1, 0);
    }

    #[test]
    #[should_panic(expected = "by zero")]
    fn ratio_div_by_zero_panics() {
        Ratio::integer(1).div(&Ratio::integer(0));
    }

    #[test]
    fn pmfs_sum_to_one() {
        for scale in [0.5, 1.0, 3.7, 25.0] {
            let total: f64 = (-2000..=2000).map(|x| discrete_laplace_pmf(scale, x)).sum();
            assert!((total - 1.0).abs() < 1e-12, "laplace {scale}: {total}");
        }
        for sigma2 in [0.8, 4.0, 20.0, 400.0] {
            let total: f64 = (-500..=500).map(|x| discrete_gaussian_pmf(sigma2, x)).sum();
            assert!((total - 1.0).abs() < 1e-12, "gaussian {sigma2}: {total}");
        }
    }
}
