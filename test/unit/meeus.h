/*
 * meeus.h — the reference for test_lunar.c: the instant of a new moon by
 * J. Meeus, Astronomical Algorithms (2nd ed.), chapter 49 (all periodic terms
 * and the 14 planetary arguments; stated accuracy a few seconds), with ΔT = TT - UT
 * from the polynomials of Espenak & Meeus (NASA Five Millennium Canon, 2006),
 * converted to Beijing time (UTC+8).
 */
#ifndef WC_TEST_MEEUS_H
#define WC_TEST_MEEUS_H

#include <math.h>

#define MEEUS_RAD(deg) ((deg) * M_PI / 180.0)

/* ΔT in seconds for a decimal year (Espenak & Meeus, 1900-2150). */
static double
meeus_delta_t(double y)
{
	double		t;

	if (y < 1920)
	{
		t = y - 1900;
		return -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * t * t * t -
			0.000197 * t * t * t * t;
	}
	if (y < 1941)
	{
		t = y - 1920;
		return 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * t * t * t;
	}
	if (y < 1961)
	{
		t = y - 1950;
		return 29.07 + 0.407 * t - t * t / 233 + t * t * t / 2547;
	}
	if (y < 1986)
	{
		t = y - 1975;
		return 45.45 + 1.067 * t - t * t / 260 - t * t * t / 718;
	}
	if (y < 2005)
	{
		t = y - 2000;
		return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * pow(t, 3) +
			0.000651814 * pow(t, 4) + 0.00002373599 * pow(t, 5);
	}
	if (y < 2050)
	{
		t = y - 2000;
		return 62.92 + 0.32217 * t + 0.005589 * t * t;
	}
	return -20 + 32 * pow((y - 1820) / 100, 2) - 0.5628 * (2150 - y);
}

/* JDE (Terrestrial Time) of the new moon of lunation k (k = 0: 2000-01-06). */
static double
meeus_new_moon_jde(double k)
{
	double		T = k / 1236.85;
	double		T2 = T * T,
				T3 = T2 * T,
				T4 = T3 * T;
	double		jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * T2 -
		0.000000150 * T3 + 0.00000000073 * T4;
	double		E = 1 - 0.002516 * T - 0.0000074 * T2;
	double		M = MEEUS_RAD(2.5534 + 29.10535670 * k - 0.0000014 * T2 - 0.00000011 * T3);
	double		Mp = MEEUS_RAD(201.5643 + 385.81693528 * k + 0.0107582 * T2 +
								 0.00001238 * T3 - 0.000000058 * T4);
	double		F = MEEUS_RAD(160.7108 + 390.67050284 * k - 0.0016118 * T2 -
								0.00000227 * T3 + 0.000000011 * T4);
	double		O = MEEUS_RAD(124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3);
	static const double A_base[14] = {299.77, 251.88, 251.83, 349.42, 84.66, 141.74, 207.14,
	154.84, 34.52, 207.19, 291.34, 161.72, 239.56, 331.55};
	static const double A_rate[14] = {0.107408, 0.016321, 26.651886, 36.412478, 18.206239,
		53.303771, 2.453732, 7.306860, 27.261239, 0.121824, 1.844379, 24.198154,
	25.513099, 3.592518};
	static const double A_coef[14] = {0.000325, 0.000165, 0.000164, 0.000126, 0.000110,
		0.000062, 0.000060, 0.000056, 0.000047, 0.000042, 0.000040, 0.000037,
	0.000035, 0.000023};

	jde += -0.40720 * sin(Mp)
		+ 0.17241 * E * sin(M)
		+ 0.01608 * sin(2 * Mp)
		+ 0.01039 * sin(2 * F)
		+ 0.00739 * E * sin(Mp - M)
		- 0.00514 * E * sin(Mp + M)
		+ 0.00208 * E * E * sin(2 * M)
		- 0.00111 * sin(Mp - 2 * F)
		- 0.00057 * sin(Mp + 2 * F)
		+ 0.00056 * E * sin(2 * Mp + M)
		- 0.00042 * sin(3 * Mp)
		+ 0.00042 * E * sin(M + 2 * F)
		+ 0.00038 * E * sin(M - 2 * F)
		- 0.00024 * E * sin(2 * Mp - M)
		- 0.00017 * sin(O)
		- 0.00007 * sin(Mp + 2 * M)
		+ 0.00004 * sin(2 * Mp - 2 * F)
		+ 0.00004 * sin(3 * M)
		+ 0.00003 * sin(Mp + M - 2 * F)
		+ 0.00003 * sin(2 * Mp + 2 * F)
		- 0.00003 * sin(Mp + M + 2 * F)
		+ 0.00003 * sin(Mp - M + 2 * F)
		- 0.00002 * sin(Mp - M - 2 * F)
		- 0.00002 * sin(3 * Mp + M)
		+ 0.00002 * sin(4 * Mp);
	for (int i = 0; i < 14; i++)
	{
		double		A = A_base[i] + A_rate[i] * k;

		if (i == 0)
			A -= 0.009173 * T2;
		jde += A_coef[i] * sin(MEEUS_RAD(A));
	}
	return jde;
}

/* The new moon of lunation k as a Julian date in Beijing time (UTC+8). */
static double
meeus_new_moon_beijing(double k)
{
	double		jde = meeus_new_moon_jde(k);
	double		year = 2000 + (jde - 2451545.0) / 365.25;

	return jde - meeus_delta_t(year) / 86400.0 + 8.0 / 24.0;
}

/* One term A cos(B + C tau) of the VSOP87 series of the Earth. */
typedef struct MeeusTerm
{
	double		a,
				b,
				c;
} MeeusTerm;

/*
 * The Earth's heliocentric longitude L (terms L0-L5, complete) and radius vector R
 * (leading terms) from VSOP87 as truncated in Meeus, Astronomical Algorithms,
 * Appendix III: about 1 arc second, i.e. about 25 s in the time of a solar term.
 */
static const MeeusTerm earth_L0[] = {
	{175347046, 0, 0}, {3341656, 4.6692568, 6283.07585}, {34894, 4.6261, 12566.1517},
	{3497, 2.7441, 5753.3849}, {3418, 2.8289, 3.5231}, {3136, 3.6277, 77713.7715},
	{2676, 4.4181, 7860.4194}, {2343, 6.1352, 3930.2097}, {1324, 0.7425, 11506.7698},
	{1273, 2.0371, 529.691}, {1199, 1.1096, 1577.3435}, {990, 5.233, 5884.927},
	{902, 2.045, 26.298}, {857, 3.508, 398.149}, {780, 1.179, 5223.694},
	{753, 2.533, 5507.553}, {505, 4.583, 18849.228}, {492, 4.205, 775.523},
	{357, 2.92, 0.067}, {317, 5.849, 11790.629}, {284, 1.899, 796.298},
	{271, 0.315, 10977.079}, {243, 0.345, 5486.778}, {206, 4.806, 2544.314},
	{205, 1.869, 5573.143}, {202, 2.458, 6069.777}, {156, 0.833, 213.299},
	{132, 3.411, 2942.463}, {126, 1.083, 20.775}, {115, 0.645, 0.98},
	{103, 0.636, 4694.003}, {102, 0.976, 15720.839}, {102, 4.267, 7.114},
	{99, 6.21, 2146.17}, {98, 0.68, 155.42}, {86, 5.98, 161000.69}, {85, 1.3, 6275.96},
	{85, 3.67, 71430.7}, {80, 1.81, 17260.15}, {79, 3.04, 12036.46}, {75, 1.76, 5088.63},
	{74, 3.5, 3154.69}, {74, 4.68, 801.82}, {70, 0.83, 9437.76}, {62, 3.98, 8827.39},
	{61, 1.82, 7084.9}, {57, 2.78, 6286.6}, {56, 4.39, 14143.5}, {56, 3.47, 6279.55},
	{52, 0.19, 12139.55}, {52, 1.33, 1748.02}, {51, 0.28, 5856.48}, {49, 0.49, 1194.45},
	{41, 5.37, 8429.24}, {41, 2.4, 19651.05}, {39, 6.17, 10447.39}, {37, 6.04, 10213.29},
	{37, 2.57, 1059.38}, {36, 1.71, 2352.87}, {36, 1.78, 6812.77}, {33, 0.59, 17789.85},
	{30, 0.44, 83996.85}, {30, 2.74, 1349.87}, {25, 3.16, 4690.48}
};

static const MeeusTerm earth_L1[] = {
	{628331966747, 0, 0}, {206059, 2.678235, 6283.07585}, {4303, 2.6351, 12566.1517},
	{425, 1.59, 3.523}, {119, 5.796, 26.298}, {109, 2.966, 1577.344}, {93, 2.59, 18849.23},
	{72, 1.14, 529.69}, {68, 1.87, 398.15}, {67, 4.41, 5507.55}, {59, 2.89, 5223.69},
	{56, 2.17, 155.42}, {45, 0.4, 796.3}, {36, 0.47, 775.52}, {29, 2.65, 7.11},
	{21, 5.34, 0.98}, {19, 1.85, 5486.78}, {19, 4.97, 213.3}, {17, 2.99, 6275.96},
	{16, 0.03, 2544.31}, {16, 1.43, 2146.17}, {15, 1.21, 10977.08}, {12, 2.83, 1748.02},
	{12, 3.26, 5088.63}, {12, 5.27, 1194.45}, {12, 2.08, 4694.0}, {11, 0.77, 553.57},
	{10, 1.3, 6286.6}, {10, 4.24, 1349.87}, {9, 2.7, 242.73}, {9, 5.64, 951.72},
	{8, 5.3, 2352.87}, {6, 2.65, 9437.76}, {6, 4.67, 4690.48}
};

static const MeeusTerm earth_L2[] = {
	{52919, 0, 0}, {8720, 1.0721, 6283.0758}, {309, 0.867, 12566.152}, {27, 0.05, 3.52},
	{16, 5.19, 26.3}, {16, 3.68, 155.42}, {10, 0.76, 18849.23}, {9, 2.06, 77713.77},
	{7, 0.83, 775.52}, {5, 4.66, 1577.34}, {4, 1.03, 7.11}, {4, 3.44, 5573.14},
	{3, 5.14, 796.3}, {3, 6.05, 5507.55}, {3, 1.19, 242.73}, {3, 6.12, 529.69},
	{3, 0.31, 398.15}, {3, 2.28, 553.57}, {2, 4.38, 5223.69}, {2, 3.75, 0.98}
};

static const MeeusTerm earth_L3[] = {
	{289, 5.844, 6283.076}, {35, 0, 0}, {17, 5.49, 12566.15}, {3, 5.2, 155.42},
	{1, 4.72, 3.52}, {1, 5.3, 18849.23}, {1, 5.97, 242.73}
};

static const MeeusTerm earth_L4[] = {
	{114, 3.142, 0}, {8, 4.13, 6283.08}, {1, 3.84, 12566.15}
};

static const MeeusTerm earth_L5[] = {
	{1, 3.14, 0}
};

static const MeeusTerm earth_R0[] = {
	{100013989, 0, 0}, {1670700, 3.0984635, 6283.07585}, {13956, 3.05525, 12566.1517},
	{3084, 5.1985, 77713.7715}, {1628, 1.1739, 5753.3849}, {1576, 2.8469, 7860.4194}
};

static const MeeusTerm earth_R1[] = {
	{103019, 1.10749, 6283.07585}, {1721, 1.0644, 12566.1517}, {702, 3.142, 0}
};

static const MeeusTerm earth_R2[] = {
	{4359, 5.7846, 6283.0758}, {124, 5.579, 12566.152}
};

#define MEEUS_N(t) ((int) (sizeof(t) / sizeof((t)[0])))

/* Sum of A cos(B + C tau) over a series. */
static double
meeus_series(const MeeusTerm *t, int n, double tau)
{
	double		sum = 0;

	for (int i = 0; i < n; i++)
		sum += t[i].a * cos(t[i].b + t[i].c * tau);
	return sum;
}

/*
 * The Sun's apparent geocentric longitude in degrees at a JDE (Meeus ch. 25,
 * higher accuracy): VSOP87 longitude + 180 degrees, the FK5 correction,
 * nutation in longitude (ch. 22, to 0.5") and aberration.
 */
static double
meeus_sun_longitude(double jde)
{
	double		tau = (jde - 2451545.0) / 365250.0;
	double		T = tau * 10;
	double		L = (meeus_series(earth_L0, MEEUS_N(earth_L0), tau) +
					 meeus_series(earth_L1, MEEUS_N(earth_L1), tau) * tau +
					 meeus_series(earth_L2, MEEUS_N(earth_L2), tau) * tau * tau +
					 meeus_series(earth_L3, MEEUS_N(earth_L3), tau) * pow(tau, 3) +
					 meeus_series(earth_L4, MEEUS_N(earth_L4), tau) * pow(tau, 4) +
					 meeus_series(earth_L5, MEEUS_N(earth_L5), tau) * pow(tau, 5)) / 1e8;
	double		R = (meeus_series(earth_R0, MEEUS_N(earth_R0), tau) +
					 meeus_series(earth_R1, MEEUS_N(earth_R1), tau) * tau +
					 meeus_series(earth_R2, MEEUS_N(earth_R2), tau) * tau * tau) / 1e8;
	double		omega = MEEUS_RAD(125.04452 - 1934.136261 * T);
	double		Ls = MEEUS_RAD(280.4665 + 36000.7698 * T);
	double		Lm = MEEUS_RAD(218.3165 + 481267.8813 * T);
	double		dpsi = -17.20 * sin(omega) - 1.32 * sin(2 * Ls) - 0.23 * sin(2 * Lm) +
		0.21 * sin(2 * omega);	/* arc seconds */
	double		lambda = L * 180.0 / M_PI + 180.0 +
		(-0.09033 + dpsi - 20.4898 / R) / 3600.0;

	return fmod(fmod(lambda, 360.0) + 360.0, 360.0);
}

/* The JDE near `guess` when the Sun's apparent longitude is `angle` degrees. */
static double
meeus_solar_term_jde(double angle, double guess)
{
	double		jde = guess;

	for (int i = 0; i < 50; i++)
	{
		double		diff = angle - meeus_sun_longitude(jde);

		diff -= 360.0 * floor((diff + 180.0) / 360.0);	/* into [-180, 180) */
		jde += diff / 360.0 * 365.2422;
		if (fabs(diff) < 1e-7)
			break;
	}
	return jde;
}

/* A solar term as a Julian date in Beijing time (UTC+8). */
static double
meeus_solar_term_beijing(double angle, double guess)
{
	double		jde = meeus_solar_term_jde(angle, guess);
	double		year = 2000 + (jde - 2451545.0) / 365.25;

	return jde - meeus_delta_t(year) / 86400.0 + 8.0 / 24.0;
}

/* Day number since 2000-01-01 of a Julian date (in whatever zone it is given). */
static int
meeus_day(double jd)
{
	return (int) floor(jd - 2451544.5);
}

#endif							/* WC_TEST_MEEUS_H */
