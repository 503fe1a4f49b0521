"""Vestibular sense: angular velocity and linear acceleration (gravity included) of the head."""

import mujoco

from envs.senses.sense import SensorSense


class Vestibular(SensorSense):
    name = "vestibular"

    def __init__(self, site: str):
        site_type = mujoco.mjtObj.mjOBJ_SITE
        super().__init__([
            ("gyro", mujoco.mjtSensor.mjSENS_GYRO, site_type, site),
            ("accelerometer", mujoco.mjtSensor.mjSENS_ACCELEROMETER, site_type, site),
        ])
